"""ふれあいの会 watch-visit reports: PUT/GET per 校区 and month, history, 年度 totals."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from community import watch_visits_store as store
from community.access import AggregateReader, ShakyoWriter
from community.clock import today_jst
from community.months import fiscal_year_of_month, parse_month
from community.watch_visits import VisitsIn, check_district, next_revision, summarize
from kasane.events.community import WatchVisitsReported
from kasane.types import IsoDatetime
from kasane.web.errors import Refused
from kasane.web.events import EventWriter

router = APIRouter(prefix="/watch-visits", tags=["見守り訪問 watch visits"])


class WatchVisitsOut(BaseModel):
    school_district_code: str
    month: str
    fiscal_year: int
    visits: int  # the effective (latest) figure
    revision: int
    reported_at: IsoDatetime
    reported_by: str


class HistoryOut(BaseModel):
    school_district_code: str
    month: str
    revisions: list[WatchVisitsOut]


class FiscalYearTotals(BaseModel):
    fiscal_year: int
    school_district_code: str | None
    total: int
    by_school_district: dict[str, int]
    by_month: dict[str, int]


def _out(row: asyncpg.Record) -> WatchVisitsOut:
    return WatchVisitsOut(
        school_district_code=row["school_district_code"],
        month=row["month"],
        fiscal_year=row["fiscal_year"],
        visits=row["visits"],
        revision=row["revision"],
        reported_at=row["reported_at"],
        reported_by=row["reported_by"],
    )


def _key(school_district: str, month: str) -> tuple[str, str]:
    return check_district(school_district), parse_month(month, today_jst())


@router.put("/{school_district}/{month}")
async def report(
    school_district: str,
    month: str,
    body: VisitsIn,
    principal: ShakyoWriter,
    request: Request,
    response: Response,
) -> WatchVisitsOut:
    district, month = _key(school_district, month)
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    async with pool.acquire() as conn, conn.transaction():
        await store.lock(conn, district, month)
        current = await store.effective(conn, district, month)
        revision = next_revision(store.as_effective(current), body.visits)
        if revision is None:
            assert current is not None
            return _out(current)  # the same figure again: nothing new, nothing published
        row = await store.insert(
            conn,
            district=district,
            month=month,
            revision=revision,
            visits=body.visits,
            fiscal_year=fiscal_year_of_month(month),
            agency_id=principal.agency,
            reported_by=principal.sub,
        )
        await events.emit(
            conn,
            WatchVisitsReported(
                school_district_code=district,
                month=month,
                visits=body.visits,
                revision=revision,
                fiscal_year=row["fiscal_year"],
            ),
            agency_id=principal.agency,
        )
    if revision == 1:
        response.status_code = 201
    return _out(row)


@router.get("/{school_district}/{month}")
async def effective(
    school_district: str, month: str, _: AggregateReader, request: Request
) -> WatchVisitsOut:
    district, month = _key(school_district, month)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        row = await store.effective(conn, district, month)
    if row is None:
        raise Refused(404, "month", f"報告がありません / no report for {district} {month}")
    return _out(row)


@router.get("/{school_district}/{month}/history")
async def history(
    school_district: str, month: str, _: AggregateReader, request: Request
) -> HistoryOut:
    district, month = _key(school_district, month)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        rows = await store.history(conn, district, month)
    if not rows:
        raise Refused(404, "month", f"報告がありません / no report for {district} {month}")
    return HistoryOut(school_district_code=district, month=month, revisions=[_out(r) for r in rows])


@router.get("")
async def fiscal_year_totals(
    _: AggregateReader,
    request: Request,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
    school_district_code: Annotated[str | None, Query(description="校区")] = None,
) -> FiscalYearTotals:
    if school_district_code is not None:
        check_district(school_district_code)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        rows = await store.effective_in_fiscal_year(conn, fiscal_year, school_district_code)
    summary = summarize(rows)
    return FiscalYearTotals(
        fiscal_year=fiscal_year,
        school_district_code=school_district_code,
        total=summary.total,
        by_school_district=summary.by_school_district,
        by_month=summary.by_month,
    )
