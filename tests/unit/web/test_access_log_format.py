"""The plain access formatter writes exactly uvicorn's default line (no colours), and
``install`` only swaps it in where uvicorn would render that default."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest
from uvicorn.logging import AccessFormatter

from kasane.web.access_log import (
    ACCESS_LOGGER,
    DEFAULT_FORMAT,
    DropQueryString,
    PlainAccessFormatter,
    install,
)


def _record(
    args: tuple[object, ...], level: int = logging.INFO, exc: bool = False
) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            exc_info = sys.exc_info()
    return logging.LogRecord(
        ACCESS_LOGGER, level, __file__, 1, '%s - "%s %s HTTP/%s" %d', args, exc_info
    )


@pytest.mark.parametrize("status", [200, 201, 204, 404, 409, 422, 503, 599])
@pytest.mark.parametrize("level", [logging.INFO, logging.WARNING, logging.DEBUG])
@pytest.mark.parametrize(
    ("client", "method", "target", "version"),
    [
        ("127.0.0.1:50000", "POST", "/consultations", "1.1"),
        ("10.0.0.7:443", "GET", "/cases/0192f0c8?…", "1.0"),
        ("[::1]:8101", "PATCH", "/programs/居場所", "2"),
    ],
)
def test_the_plain_line_is_uvicorns_default_line(
    status: int, level: int, client: str, method: str, target: str, version: str
) -> None:
    args = (client, method, target, version, status)
    uvicorn_line = AccessFormatter(DEFAULT_FORMAT, use_colors=False).format(_record(args, level))
    assert PlainAccessFormatter().format(_record(args, level)) == uvicorn_line


def test_a_record_with_an_exception_or_other_arguments_takes_uvicorns_path() -> None:
    args = ("127.0.0.1:1", "GET", "/healthz", "1.1", 200)
    uvicorn_formatter = AccessFormatter(DEFAULT_FORMAT, use_colors=False)
    with_exc = PlainAccessFormatter().format(_record(args, exc=True))
    assert with_exc == uvicorn_formatter.format(_record(args, exc=True))
    assert "RuntimeError: boom" in with_exc


@pytest.fixture
def access_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger(ACCESS_LOGGER)
    handlers, filters = list(logger.handlers), list(logger.filters)
    yield logger
    logger.handlers, logger.filters = handlers, filters


def test_install_swaps_only_uvicorns_default_plain_formatter(
    access_logger: logging.Logger,
) -> None:
    default, coloured, custom, other = (logging.NullHandler() for _ in range(4))
    default.setFormatter(AccessFormatter(DEFAULT_FORMAT, use_colors=False))
    coloured.setFormatter(AccessFormatter(DEFAULT_FORMAT, use_colors=True))
    custom.setFormatter(AccessFormatter("%(client_addr)s %(status_code)s", use_colors=False))
    other.setFormatter(logging.Formatter(DEFAULT_FORMAT))
    access_logger.handlers = [default, coloured, custom, other]
    install()
    install()
    assert type(default.formatter) is PlainAccessFormatter
    assert type(coloured.formatter) is AccessFormatter
    assert type(custom.formatter) is AccessFormatter
    assert type(other.formatter) is logging.Formatter
    assert sum(isinstance(f, DropQueryString) for f in access_logger.filters) == 1


def test_the_plain_line_still_loses_the_query(access_logger: logging.Logger) -> None:
    handler = logging.NullHandler()
    handler.setFormatter(AccessFormatter(DEFAULT_FORMAT, use_colors=False))
    access_logger.handlers = [handler]
    install()
    record = _record(("127.0.0.1:1", "GET", "/persons/duplicates?kana=くるめ", "1.1", 200))
    assert access_logger.filter(record)
    line = handler.format(record)
    assert line == 'INFO:     127.0.0.1:1 - "GET /persons/duplicates?… HTTP/1.1" 200 OK'
