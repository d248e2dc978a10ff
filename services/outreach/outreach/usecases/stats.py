"""Aggregates per 年度 for 社協 and the city: counts by code, never a person."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from kasane.fiscal_year import fiscal_year_bounds
from outreach.store import stats as store


@dataclass(frozen=True)
class Stats:
    fiscal_year: int
    counts: dict[str, dict[str, int]]  # per 年度, by code
    open_by_stage: dict[str, int]  # now, not per 年度


async def fiscal_year_stats(pool: asyncpg.Pool, fiscal_year: int) -> Stats:
    first, last = fiscal_year_bounds(fiscal_year)
    async with pool.acquire() as conn:
        counts = await store.fiscal_year_counts(conn, first, last)
        by_stage = await store.open_by_stage(conn)
    return Stats(fiscal_year, counts, by_stage)
