"""Audited work on personal records: allowed accesses are audited by the work itself, in its
transaction; a refusal rolls the work back and leaves one "denied" row (DESIGN.md 6)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg

from kasane.audit import AccessEntry, record_access
from kasane.web.errors import Refused

T = TypeVar("T")


async def audited(
    pool: asyncpg.Pool,
    denial: AccessEntry,
    work: Callable[[asyncpg.Connection], Awaitable[T]],
) -> T:
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                return await work(conn)
        except Refused:
            async with conn.transaction():
                await record_access(conn, denial)
            raise
