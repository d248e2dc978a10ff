"""GET /resource-gaps: 社会資源の不足 raised in meetings (for 社会資源の開発)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from kasane.fiscal_year import fiscal_year_of
from kasane.types import IsoDate
from meetings.api.deps import Pool, Reader, Today
from meetings.domain.access import may_do_case_work
from meetings.domain.calendar import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from meetings.domain.codes import GAP_CATEGORIES
from meetings.store import gaps as gaps_store

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
    async with pool.acquire() as conn:
        rows = await gaps_store.in_fiscal_year(conn, year)
    by_category: dict[str, int] = {}
    for row in rows:
        by_category[row["category_code"]] = by_category.get(row["category_code"], 0) + 1
    detail = may_do_case_work(principal)
    return GapsOut(
        fiscal_year=year,
        total=len(rows),
        by_category=dict(sorted(by_category.items())),
        gaps=[
            GapOut(
                gap_id=str(r["id"]),
                meeting_id=str(r["meeting_id"]),
                category_code=r["category_code"],
                category_label=GAP_CATEGORIES.get(r["category_code"], r["category_code"]),
                school_district_code=r["school_district_code"],
                raised_on=r["raised_on"],
                description=r["description"] if detail else None,
            )
            for r in rows
        ],
    )
