"""GET /stats: outreach aggregates per 年度 for 社協 and the city (no persons)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from outreach.api.deps import AggregateReader, Pool
from outreach.api.schemas import OutreachStats
from outreach.usecases.stats import fiscal_year_stats

router = APIRouter(tags=["集計 aggregates"])


@router.get("/stats")
async def stats(
    _: AggregateReader,
    pool: Pool,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
) -> OutreachStats:
    return OutreachStats.of(await fiscal_year_stats(pool, fiscal_year))
