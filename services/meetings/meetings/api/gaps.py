"""GET /resource-gaps: 社会資源の不足 raised in meetings (for 社会資源の開発)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from kasane.fiscal_year import fiscal_year_of
from kasane.types import IsoDate
from meetings.api.deps import Pool, Reader, Today
from meetings.domain.calendar import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from meetings.domain.codes import GAP_CATEGORIES
from meetings.domain.gaps import count_by_category
from meetings.usecases import reports

router = APIRouter(tags=["社会資源 resource gaps"])


class GapOut(BaseModel):
    gap_id: str
    meeting_id: str
    category_code: str
    category_label: str
    school_district_code: str | None
    raised_on: IsoDate
    description: str | None  # omitted for city roles (aggregates only)


class GapsOut(BaseModel):
    fiscal_year: int
    total: int
    by_category: dict[str, int]
    gaps: list[GapOut]


@router.get("/resource-gaps")
async def list_gaps(
    principal: Reader,
    pool: Pool,
    clock: Today,
    fiscal_year: Annotated[
        int | None, Query(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="年度")
    ] = None,
) -> GapsOut:
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(clock.today())
    gaps = await reports.resource_gaps(pool, principal, year)
    return GapsOut(
        fiscal_year=year,
        total=len(gaps),
        by_category=count_by_category(g.category_code for g in gaps),
        gaps=[
            GapOut(
                gap_id=str(g.id),
                meeting_id=str(g.meeting_id),
                category_code=g.category_code,
                category_label=GAP_CATEGORIES.get(g.category_code, g.category_code),
                school_district_code=g.school_district_code,
                raised_on=g.raised_on,
                description=g.description,
            )
            for g in gaps
        ],
    )
