"""GET /stats: outreach aggregates per 年度 for 社協 and the city (no persons)."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from kasane.fiscal_year import fiscal_year_bounds
from outreach import stats_store
from outreach.access import AggregateReader

router = APIRouter(tags=["集計 aggregates"])


class OutreachStats(BaseModel):
    fiscal_year: int
    registered_by_source: dict[str, int]
    stage_changes_to: dict[str, int]
    contacts_by_result: dict[str, int]
    plans_submitted_by_status: dict[str, int]
    ended_by_reason: dict[str, int]
    open_by_stage: dict[str, int]  # now, not per 年度


@router.get("/stats")
async def stats(
    _: AggregateReader,
    request: Request,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
) -> OutreachStats:
    first, last = fiscal_year_bounds(fiscal_year)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        counts = await stats_store.fiscal_year_counts(conn, first, last)
        by_stage = await stats_store.open_by_stage(conn)
    return OutreachStats(fiscal_year=fiscal_year, open_by_stage=by_stage, **counts)
