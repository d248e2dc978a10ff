"""Several writes in one statement: one round trip (docs/architecture/combined-writes.md).

A use case that writes rows to several tables — its own rows, the access-audit row, the
outbox's events — sends each as a :class:`Write` (one ``INSERT`` or ``UPDATE`` with its own
parameters ``$1…$n``, built by the module that owns the table) and :func:`write_all` joins
them as data-modifying CTEs of one statement. PostgreSQL runs every part to completion, and
a statement is atomic: one part failing (a constraint, a foreign key) writes none of them.

Outside a transaction the statement is a transaction of its own; inside one it commits with
the rest. Foreign keys between the parts hold (they are checked at the statement's end), but
a part does not see another's rows: an ``UPDATE`` cannot change a row another part inserts —
insert it with its final values instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import asyncpg

_PARAMETER = re.compile(r"\$(\d+)")


@dataclass(frozen=True)
class Write:
    """One data-modifying statement and its arguments. ``sql`` may have a ``WITH`` of its own;
    its ``$n`` are parameters only (never inside a literal), numbered from 1."""

    sql: str
    args: tuple[Any, ...]


@lru_cache(maxsize=256)
def combined_sql(parts: tuple[tuple[str, int], ...]) -> str:
    """The statement for ``(sql, argument count)`` parts: each part a CTE, its parameters
    renumbered after the previous parts' (pure; cached, as parts are constants)."""
    ctes = []
    offset = 0
    for i, (sql, count) in enumerate(parts, start=1):
        used = {int(n) for n in _PARAMETER.findall(sql)}
        if used != set(range(1, count + 1)):
            raise ValueError(f"part {i} uses parameters {sorted(used)} for {count} arguments")
        ctes.append(f"w{i} AS ({_renumbered(sql, offset)})")
        offset += count
    return "WITH " + ",\n".join(ctes) + "\nSELECT"


def _renumbered(sql: str, offset: int) -> str:
    return _PARAMETER.sub(lambda m: f"${int(m.group(1)) + offset}", sql)


async def write_all(conn: asyncpg.Connection, writes: Sequence[Write]) -> None:
    """``writes`` in one statement (one round trip), all or none."""
    if not writes:
        return
    if len(writes) == 1:
        await conn.execute(writes[0].sql, *writes[0].args)
        return
    sql = combined_sql(tuple((w.sql, len(w.args)) for w in writes))
    await conn.execute(sql, *(a for w in writes for a in w.args))
