"""GET /summary: a fiscal year in numbers (no case ids): what city roles may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from kasane.fiscal_year import fiscal_year_of, wareki_label
from meetings.api.deps import Pool, Reader, Today
from meetings.domain.calendar import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from meetings.usecases import reports

router = APIRouter(tags=["集計 summary"])


class SummaryOut(BaseModel):
    fiscal_year: int
    wareki: str
    meetings_held: dict[str, int]  # by meeting type
    items_by_kind: dict[str, int]  # agenda items of the year's meetings
    plans_approved: dict[str, int]  # by program, in the fiscal year of approval
    plans_ended: dict[str, int]  # by end kind (completed 終結 / suspended 中断)
    resource_gaps: dict[str, int]  # by category


@router.get("/summary")
async def summary(
    principal: Reader,
    pool: Pool,
    clock: Today,
    fiscal_year: Annotated[
        int | None, Query(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="年度")
    ] = None,
) -> SummaryOut:
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(clock.today())
    counts = await reports.year_summary(pool, year)
    return SummaryOut(fiscal_year=year, wareki=wareki_label(year), **counts)
