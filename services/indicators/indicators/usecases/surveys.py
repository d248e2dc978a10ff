"""市民意識調査 loads: per question the latest load of the year is effective."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from indicators.store import surveys
from kasane.auth import Principal


async def load_results(
    pool: asyncpg.Pool,
    principal: Principal,
    fiscal_year: int,
    source: str,
    counts: dict[str, tuple[int, int]],
) -> UUID:
    """Records one load (counts already checked by domain.surveys); its id."""
    async with pool.acquire() as conn, conn.transaction():
        return await surveys.add_load(conn, fiscal_year, source, counts, principal)
