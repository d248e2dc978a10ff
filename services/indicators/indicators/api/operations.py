"""Operational figures (運用指標) and their traces."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from indicators.api import schemas as api_schemas
from indicators.api.deps import CityOfficial, FiscalYear, Now, Pool
from indicators.api.schemas import ok
from indicators.usecases.reading import year_report
from kasane.errors import NotFound

router = APIRouter(prefix="/operations", tags=["運用指標 operations"])


@router.get(
    "",
    summary="運用指標（年度別）",
    response_model=None,
    responses=ok(api_schemas.OperationsReport),
)
async def operations(
    principal: CityOfficial, pool: Pool, clock: Now, fiscal_year: FiscalYear
) -> dict[str, Any]:
    """Every operational figure as ``{figure, key, value, event_count}`` (README lists them)."""
    report = await year_report(pool, fiscal_year, clock.today())
    return {
        "fiscal_year": fiscal_year,
        **report.labels,
        "as_of": report.as_of.isoformat(),
        "figures": [
            {"figure": f.figure, "key": f.key, "value": f.value, "event_count": len(f.event_ids)}
            for f in report.figures.all
        ],
    }


@router.get(
    "/trace",
    summary="数値の根拠となるイベント",
    response_model=None,
    responses={
        **ok(api_schemas.FigureTrace),
        404: {"description": "未知の数値 / unknown figure or key"},
    },
)
async def trace(
    principal: CityOfficial,
    pool: Pool,
    clock: Now,
    fiscal_year: FiscalYear,
    figure: str = Query(description="e.g. consultations.by_agency"),
    key: str = Query("", description="e.g. jiritsu; empty for a single number"),
) -> dict[str, Any]:
    report = await year_report(pool, fiscal_year, clock.today())
    found = report.figures.get(figure, key)
    if found is None:
        raise NotFound("figure", f"該当する数値がありません / no figure {figure}[{key}]")
    return {
        "fiscal_year": fiscal_year,
        "figure": figure,
        "key": key,
        "value": found.value,
        "event_count": len(found.event_ids),
        "event_ids": [str(i) for i in found.event_ids],
    }
