"""indicators' HTTP API: aggregates only, never a person."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from indicators.api import schemas as api_schemas
from indicators.api.deps import CityOfficial, FiscalYear, Now, Pool, Reader
from indicators.api.schemas import ok
from indicators.domain.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from indicators.domain.report import actual_count
from indicators.domain.targets import indicator_to_trace
from indicators.usecases.reading import YearReport, consultations_by_agency, year_report

router = APIRouter(prefix="/indicators", tags=["指標 indicators"])


class ConsultationCounts(BaseModel):
    fiscal_year: int
    total: int
    by_agency: dict[str, int]


@router.get("/consultations")
async def consultations(
    principal: Reader,
    pool: Pool,
    fiscal_year: Annotated[int, Query(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="年度")],
) -> ConsultationCounts:
    by_agency = await consultations_by_agency(pool, fiscal_year)
    return ConsultationCounts(
        fiscal_year=fiscal_year, total=sum(by_agency.values()), by_agency=by_agency
    )


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
    principal: CityOfficial, pool: Pool, clock: Now, fiscal_year: FiscalYear
) -> dict[str, Any]:
    """One row per seed indicator: baseline, target, actual, progress (percent)."""
    return report_body(await year_report(pool, fiscal_year, clock.today()))


@router.get(
    "/{indicator_id}/trace",
    summary="指標の根拠となるイベント",
    response_model=None,
    responses=ok(api_schemas.IndicatorTrace),
)
async def trace(
    principal: CityOfficial,
    pool: Pool,
    clock: Now,
    indicator_id: str,
    fiscal_year: FiscalYear,
) -> dict[str, Any]:
    """The event ids an indicator's actual counts (survey indicators: the survey load)."""
    defn = indicator_to_trace(indicator_id)
    report = await year_report(pool, fiscal_year, clock.today())
    body: dict[str, Any] = {"indicator_id": indicator_id, "fiscal_year": fiscal_year}
    if defn.question_id is not None:
        result = report.surveys.get(defn.question_id)
        body["survey_load_ids"] = [str(result.load_id)] if result else []
        body["event_ids"] = []
        return body
    actual, ids = actual_count(defn, report.figures)
    return {**body, "actual": actual, "event_count": len(ids), "event_ids": [str(i) for i in ids]}
