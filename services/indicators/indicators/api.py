"""indicators' HTTP API: aggregates only, never a person."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from indicators import store
from indicators.domain import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from kasane.auth import Principal
from kasane.auth.dependencies import require_roles

router = APIRouter(prefix="/indicators", tags=["指標 indicators"])

# Aggregates carry no personal data: city officials and agency staff may read them.
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
