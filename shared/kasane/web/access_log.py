"""Access-log lines never carry a query string.

uvicorn's access log prints the full request target (``GET /persons/duplicates?kana=…``).
Personal-data routes take their keys in bodies, but a query string is the caller's choice
(an old client, a typo, a curl from a runbook), so the log cannot rely on routes: every
service drops the query from every access line, and keeps a ``?…`` marker so an operator
still sees that one was sent. Paths hold ids and codes only, so they stay.

Installed by :func:`kasane.web.app.create_app` when the app module is imported, which
uvicorn does after it has configured its own loggers — so it holds however the service is
started (``kasane up``, Docker, tests' child processes).

One line per request is also a cost per request: uvicorn's ``AccessFormatter`` copies the
record twice and looks the status phrase up in an enum, about 7 µs of a ~15 µs line. Where
it renders its default format without colours (a service writing to a log file),
``install`` swaps in :class:`PlainAccessFormatter`, which writes the very same text
directly; a custom format or a colour terminal keeps uvicorn's own.
"""

from __future__ import annotations

import http
import logging
from typing import Any

from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import AccessFormatter

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


# uvicorn's default: '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s'
DEFAULT_FORMAT: str = LOGGING_CONFIG["formatters"]["access"]["fmt"]
_STATUS = {s.value: f"{s.value} {s.phrase}" for s in http.HTTPStatus}


class PlainAccessFormatter(AccessFormatter):
    """uvicorn's default access line without colours, rendered in one step: the same text
    as ``AccessFormatter(DEFAULT_FORMAT, use_colors=False)`` (a test compares them)."""

    def __init__(self) -> None:
        super().__init__(fmt=DEFAULT_FORMAT, use_colors=False)

    def format(self, record: logging.LogRecord) -> str:
        args: Any = record.args
        if record.exc_info or record.stack_info or not (isinstance(args, tuple) and len(args) == 5):
            return super().format(record)
        client, method, target, version, status = args
        level = record.levelname
        code = int(status)
        prefix = f"{level}:{' ' * (8 - len(level))}"
        status_line = _STATUS.get(code) or f"{code} "
        return f'{prefix} {client} - "{method} {target} HTTP/{version}" {status_line}'


def _plain_where_default(logger: logging.Logger) -> None:
    for handler in logger.handlers:
        current = handler.formatter
        if (
            type(current) is AccessFormatter
            and current._fmt == DEFAULT_FORMAT
            and not current.use_colors
        ):
            handler.setFormatter(PlainAccessFormatter())


def install() -> None:
    """Idempotent: adds the filter once to uvicorn's access logger, and the plain formatter
    to its handlers that render the default format without colours."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, DropQueryString) for f in logger.filters):
        logger.addFilter(DropQueryString())
    _plain_where_default(logger)
