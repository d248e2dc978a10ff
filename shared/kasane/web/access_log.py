"""Access-log lines never carry a query string.

uvicorn's access log prints the full request target (``GET /persons/duplicates?kana=…``).
Personal-data routes take their keys in bodies, but a query string is the caller's choice
(an old client, a typo, a curl from a runbook), so the log cannot rely on routes: every
service drops the query from every access line, and keeps a ``?…`` marker so an operator
still sees that one was sent. Paths hold ids and codes only, so they stay.

Installed by :func:`kasane.web.app.create_app` when the app module is imported, which
uvicorn does after it has configured its own loggers — so it holds however the service is
started (``kasane up``, Docker, tests' child processes).
"""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"
QUERY_MARKER = "?…"


def strip_query(target: str) -> str:
    path, sep, _ = target.partition("?")
    return path + QUERY_MARKER if sep else path


class DropQueryString(logging.Filter):
    """Rewrites uvicorn's access record ``(client, method, target, http_version, status)``."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], strip_query(args[2]), *args[3:])
        return True


def install() -> None:
    """Idempotent: adds the filter once to uvicorn's access logger."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, DropQueryString) for f in logger.filters):
        logger.addFilter(DropQueryString())
