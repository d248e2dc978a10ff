"""ふれあいの会 watch-visit reports: PUT/GET per 校区 and month, history, 年度 totals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from community.api.deps import AggregateReader, CommunityOperator, Events, Pool, Today
from community.api.schemas import FiscalYearTotals, HistoryOut, WatchVisitsOut
from community.domain.watch_visits import VisitsIn
from community.usecases import watch_visits
from community.usecases.watch_visits import Key

router = APIRouter(prefix="/watch-visits", tags=["見守り訪問 watch visits"])


@router.put("/{school_district}/{month}")
async def report(
    school_district: str,
    month: str,
    body: VisitsIn,
    principal: CommunityOperator,
    pool: Pool,
    events: Events,
    clock: Today,
    response: Response,
) -> WatchVisitsOut:
    key = Key(school_district, month)
    reported = await watch_visits.report(pool, events, principal, key, body.visits, clock.today())
    if reported.first:
        response.status_code = 201
    return WatchVisitsOut.of(reported.revision)


@router.get("/{school_district}/{month}")
async def effective(
    school_district: str, month: str, _: AggregateReader, pool: Pool, clock: Today
) -> WatchVisitsOut:
    row = await watch_visits.effective(pool, Key(school_district, month), clock.today())
    return WatchVisitsOut.of(row)


@router.get("/{school_district}/{month}/history")
async def history(
    school_district: str, month: str, _: AggregateReader, pool: Pool, clock: Today
) -> HistoryOut:
    district, month, rows = await watch_visits.history(
        pool, Key(school_district, month), clock.today()
    )
    return HistoryOut(
        school_district_code=district,
        month=month,
        revisions=[WatchVisitsOut.of(r) for r in rows],
    )


@router.get("")
async def fiscal_year_totals(
    _: AggregateReader,
    pool: Pool,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
    school_district_code: Annotated[str | None, Query(description="校区")] = None,
) -> FiscalYearTotals:
    summary = await watch_visits.fiscal_year_totals(pool, fiscal_year, school_district_code)
    return FiscalYearTotals(
        fiscal_year=fiscal_year,
        school_district_code=school_district_code,
        total=summary.total,
        by_school_district=summary.by_school_district,
        by_month=summary.by_month,
    )
