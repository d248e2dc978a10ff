"""GET /watch-visits/cells: the year's effective figures per 校区 and month, for the 社協's
monthly grid (aggregates, no person: readable by the operator's staff and the city)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from community.api.deps import AggregateReader, Pool
from community.usecases import watch_grid

router = APIRouter(prefix="/watch-visits", tags=["見守り訪問 watch visits"])


class Cell(BaseModel):
    school_district_code: str
    month: str
    visits: int


class CellsOut(BaseModel):
    fiscal_year: int
    cells: list[Cell]


@router.get("/cells")
async def cells(
    _: AggregateReader,
    pool: Pool,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
) -> CellsOut:
    found = await watch_grid.cells(pool, fiscal_year)
    return CellsOut(
        fiscal_year=fiscal_year,
        cells=[Cell(school_district_code=d, month=m, visits=v) for d, m, v in found],
    )
