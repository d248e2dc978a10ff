"""The connection a handler gets during a rebuild: its plain INSERTs are collected and sent
in bulk, so a replay is not one database round trip per event.

Generic over the handlers (they are the live subscriber's, unchanged): a statement is held
back only if it is a plain ``INSERT INTO <table> (<columns>) VALUES (...)`` with arguments,
no ``RETURNING`` and no ``ON CONFLICT`` (whose status a handler might read). Anything else
the handler does — a read, an UPDATE, a DELETE — first sends what was held back, in order,
so the handler sees its own earlier writes. On :meth:`BatchedWrites.flush` the held rows
are sent per statement: ``COPY`` when the statement is ``VALUES ($1, ..., $n)`` in column
order (the usual shape), else one pipelined ``executemany``. Held-back INSERTs of different
statements are therefore sent grouped by statement, not interleaved: a handler that needs
one plain INSERT to land before another must read in between (which flushes).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

import asyncpg

_PLAIN_INSERT = re.compile(r"^\s*INSERT\s+INTO\s", re.IGNORECASE)
_NOT_PLAIN = re.compile(r"\b(RETURNING|ON\s+CONFLICT|SELECT|DEFAULT)\b", re.IGNORECASE)
_COPYABLE = re.compile(
    r"^\s*INSERT\s+INTO\s+(?P<table>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<columns>[^()]*)\)"
    r"\s*VALUES\s*\((?P<values>[\s$0-9,]*)\)\s*;?\s*$",
    re.IGNORECASE,
)
# Calls that must see every earlier write: send what is held back first.
_FLUSH_FIRST = frozenset(
    {
        "fetch",
        "fetchrow",
        "fetchval",
        "fetchmany",
        "executemany",
        "prepare",
        "copy_records_to_table",
        "copy_to_table",
        "copy_from_table",
        "copy_from_query",
    }
)


@lru_cache(maxsize=256)  # handlers use a handful of statement texts, each thousands of times
def _held_back(query: str) -> bool:
    return bool(_PLAIN_INSERT.match(query)) and not _NOT_PLAIN.search(query)


@lru_cache(maxsize=256)
def _copy_target(query: str) -> tuple[str, list[str]] | None:
    """Table and columns if ``query`` inserts ``$1..$n`` into n named columns, in order."""
    match = _COPYABLE.match(query)
    if match is None:
        return None
    columns = [c.strip().strip('"') for c in match["columns"].split(",")]
    values = [v.strip() for v in match["values"].split(",")]
    if values != [f"${i}" for i in range(1, len(columns) + 1)]:
        return None
    if not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", c) for c in columns):
        return None
    return match["table"], columns


class BatchedWrites:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._held: dict[str, list[tuple[Any, ...]]] = {}

    # asyncpg.Connection.execute's own signature, so a handler cannot tell the difference.
    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:  # noqa: ASYNC109
        if args and _held_back(query):
            self._held.setdefault(query, []).append(args)
            return "INSERT 0 1"
        await self.flush()
        result: str = await self._conn.execute(query, *args, timeout=timeout)
        return result

    async def flush(self) -> None:
        held, self._held = self._held, {}
        for query, rows in held.items():
            target = _copy_target(query)
            if target is not None:
                table, columns = target
                await self._conn.copy_records_to_table(table, records=rows, columns=columns)
            else:
                await self._conn.executemany(query, rows)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._conn, name)
        if name not in _FLUSH_FIRST:
            return attribute

        async def flushed_first(*args: Any, **kwargs: Any) -> Any:
            await self.flush()
            call: Callable[..., Awaitable[Any]] = attribute
            return await call(*args, **kwargs)

        return flushed_first
