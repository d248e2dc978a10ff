"""Access-log lines drop the query string (kasane.web.access_log)."""

from __future__ import annotations

import logging

import pytest
from uvicorn.logging import AccessFormatter

from kasane.web.access_log import ACCESS_LOGGER, DropQueryString, install, strip_query


@pytest.mark.parametrize(
    ("target", "logged"),
    [
        ("/persons/duplicates?kana=くるめ&birth_date=1944-04-02", "/persons/duplicates?…"),
        ("/cases?status=open", "/cases?…"),
        ("/cases/0190-abc", "/cases/0190-abc"),
        ("/healthz", "/healthz"),
        ("/x?", "/x?…"),
    ],
)
def test_strip_query(target: str, logged: str) -> None:
    assert strip_query(target) == logged


def _uvicorn_record(target: str) -> logging.LogRecord:
    # The shape uvicorn's httptools/h11 protocols log with.
    return logging.LogRecord(
        ACCESS_LOGGER,
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", target, "1.1", 200),
        None,
    )


def test_uvicorns_access_line_loses_the_query_and_keeps_the_rest() -> None:
    record = _uvicorn_record("/persons/duplicates?kana=%E3%81%8F%E3%82%8B%E3%82%81&address=x")
    assert DropQueryString().filter(record) is True
    line = AccessFormatter(use_colors=False).format(record)
    assert '"GET /persons/duplicates?… HTTP/1.1" 200' in line
    assert "kana" not in line and "%E3" not in line and "address" not in line


def test_install_is_idempotent_and_filters_the_uvicorn_access_logger() -> None:
    logger = logging.getLogger(ACCESS_LOGGER)
    install()
    install()
    assert sum(isinstance(f, DropQueryString) for f in logger.filters) == 1
    record = _uvicorn_record("/cases?after=x")
    assert logger.filter(record)
    assert record.getMessage().endswith('"GET /cases?… HTTP/1.1" 200')
