"""The year's effective watch-visit figures cell by cell (校区 × month): what a grid shows."""

from __future__ import annotations

import asyncpg

from community.store import watch_visits as store


async def cells(pool: asyncpg.Pool, fiscal_year: int) -> list[tuple[str, str, int]]:
    """``(校区, yyyy-mm, visits)`` of every reported month of the year (latest revision)."""
    async with pool.acquire() as conn:
        return await store.effective_in_fiscal_year(conn, fiscal_year, None)
