"""Reads without case detail: resource gaps, a fiscal year in numbers, 社協's escalations."""

from __future__ import annotations

from dataclasses import replace

import asyncpg

from kasane.auth import Principal
from meetings.domain.access import may_do_case_work
from meetings.store import escalations as escalations_store
from meetings.store import gaps as gaps_store
from meetings.store import summary as summary_store
from meetings.store.escalations import Escalation
from meetings.store.gaps import ResourceGap


async def resource_gaps(
    pool: asyncpg.Pool, principal: Principal, fiscal_year: int
) -> list[ResourceGap]:
    """The year's gaps; city roles get them without descriptions (aggregates only)."""
    async with pool.acquire() as conn:
        gaps = await gaps_store.in_fiscal_year(conn, fiscal_year)
    if may_do_case_work(principal):
        return gaps
    return [replace(g, description=None) for g in gaps]


async def year_summary(pool: asyncpg.Pool, fiscal_year: int) -> dict[str, dict[str, int]]:
    async with pool.acquire() as conn:
        return await summary_store.year(conn, fiscal_year)


async def open_escalations(pool: asyncpg.Pool) -> list[Escalation]:
    """Cases escalated to 多機関協働 with no 多機関協働 plan yet (社協's to-do list)."""
    async with pool.acquire() as conn:
        return await escalations_store.open_escalations(conn)
