"""Targets per indicator and fiscal year, set by the city."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path
from pydantic import BaseModel, ConfigDict, Field

from indicators.api.deps import CityOfficial, FiscalYear, Pool
from indicators.domain.catalog import INDICATORS
from indicators.domain.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from indicators.usecases import reading, targets
from kasane.types import Number

router = APIRouter(prefix="/targets", tags=["目標値 targets"])

PathYear = Annotated[int, Path(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="年度")]


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: Number = Field(ge=0, description="件数 or 割合（%）")


@router.get("", summary="年度の目標値")
async def get_targets(principal: CityOfficial, pool: Pool, fiscal_year: FiscalYear) -> Any:
    found = await reading.effective_targets(pool, fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "targets": [
            {
                "indicator_id": i.id,
                "target": found[i.id].value if i.id in found else None,
                "target_source": found[i.id].source if i.id in found else None,
            }
            for i in INDICATORS
        ],
    }


@router.put("/{indicator_id}/{fiscal_year}", summary="目標値を設定")
async def put_target(
    principal: CityOfficial,
    pool: Pool,
    indicator_id: str,
    fiscal_year: PathYear,
    body: Annotated[TargetIn, Body()],
) -> Any:
    value = await targets.set_target(pool, principal, indicator_id, fiscal_year, body.target)
    return {
        "indicator_id": indicator_id,
        "fiscal_year": fiscal_year,
        "target": value,
        "target_source": "fiscal_year",
    }


@router.delete("/{indicator_id}/{fiscal_year}", status_code=204, summary="年度別の目標値を削除")
async def delete_target(
    principal: CityOfficial, pool: Pool, indicator_id: str, fiscal_year: PathYear
) -> None:
    """Removes a year's own target; a standing (every-year) target applies again."""
    await targets.clear_target(pool, indicator_id, fiscal_year)
