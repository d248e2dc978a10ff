"""indicators' HTTP API: aggregates only, never a person."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from indicators import api_schemas, store
from indicators.api_schemas import ok
from indicators.catalog import BY_ID
from indicators.domain import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, today_jst
from indicators.params import CityOfficial, FiscalYear
from indicators.reading import YearReport, read_year
from indicators.report import actual_count
from kasane.auth import Principal
from kasane.auth.dependencies import require_roles
from kasane.web.errors import Refused

router = APIRouter(prefix="/indicators", tags=["指標 indicators"])

# Consultation counts carry no personal data: city officials and agency staff may read them.
Reader = Annotated[
    Principal, Depends(require_roles("city_official", "manager", "counselor", "coordinator"))
]


class ConsultationCounts(BaseModel):
    fiscal_year: int
    total: int
    by_agency: dict[str, int]


@router.get("/consultations")
async def consultations(
    principal: Reader,
    request: Request,
    fiscal_year: Annotated[int, Query(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="年度")],
) -> ConsultationCounts:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        by_agency = await store.consultations_by_agency(conn, fiscal_year)
    return ConsultationCounts(
        fiscal_year=fiscal_year, total=sum(by_agency.values()), by_agency=by_agency
    )


async def year_report(request: Request, fiscal_year: int) -> YearReport:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        return await read_year(conn, fiscal_year, today_jst())


def report_body(report: YearReport) -> dict[str, Any]:
    return {
        "fiscal_year": report.fiscal_year,
        **report.labels,
        "as_of": report.as_of.isoformat(),
        "indicators": [row.as_dict() for row in report.rows],
    }


@router.get(
    "",
    summary="目標・評価指標（年度別）",
    response_model=None,
    responses=ok(api_schemas.IndicatorReport),
)
async def indicators(
    principal: CityOfficial, request: Request, fiscal_year: FiscalYear
) -> dict[str, Any]:
    """One row per seed indicator: baseline, target, actual, progress (percent)."""
    return report_body(await year_report(request, fiscal_year))


@router.get(
    "/{indicator_id}/trace",
    summary="指標の根拠となるイベント",
    response_model=None,
    responses=ok(api_schemas.IndicatorTrace),
)
async def trace(
    principal: CityOfficial, request: Request, indicator_id: str, fiscal_year: FiscalYear
) -> dict[str, Any]:
    """The event ids an indicator's actual counts (survey indicators: the survey load)."""
    defn = BY_ID.get(indicator_id)
    if defn is None:
        raise Refused(404, "indicator_id", f"未知の指標です / unknown indicator {indicator_id}")
    report = await year_report(request, fiscal_year)
    body: dict[str, Any] = {"indicator_id": indicator_id, "fiscal_year": fiscal_year}
    if defn.question_id is not None:
        result = report.surveys.get(defn.question_id)
        body["survey_load_ids"] = [str(result.load_id)] if result else []
        body["event_ids"] = []
        return body
    actual, ids = actual_count(defn, report.figures)
    return {**body, "actual": actual, "event_count": len(ids), "event_ids": [str(i) for i in ids]}
