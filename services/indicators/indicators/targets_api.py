"""Targets per indicator and fiscal year, set by the city."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Body, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from indicators import targets_store
from indicators.catalog import BY_ID, INDICATORS, IndicatorDef
from indicators.domain import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from indicators.params import CityOfficial, FiscalYear
from kasane.types import Number
from kasane.web.errors import Refused

router = APIRouter(prefix="/targets", tags=["目標値 targets"])

PathYear = Annotated[int, Path(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="年度")]


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: Number = Field(ge=0, description="件数 or 割合（%）")


def _indicator(indicator_id: str) -> IndicatorDef:
    defn = BY_ID.get(indicator_id)
    if defn is None:
        raise Refused(
            422,
            "indicator_id",
            f"未知の指標です / unknown indicator {indicator_id!r}; known: "
            + ", ".join(i.id for i in INDICATORS),
        )
    return defn


def _check_value(defn: IndicatorDef, value: float) -> float:
    if defn.kind == "rate" and value > 100:
        raise Refused(422, "target", "割合は100以下です / a percentage is at most 100")
    if defn.kind == "count" and value != int(value):
        raise Refused(422, "target", "件数は整数です / a count target must be a whole number")
    return value


@router.get("", summary="年度の目標値")
async def targets(principal: CityOfficial, request: Request, fiscal_year: FiscalYear) -> Any:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        found = await targets_store.effective_targets(conn, fiscal_year)
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
    request: Request,
    indicator_id: str,
    fiscal_year: PathYear,
    body: Annotated[TargetIn, Body()],
) -> Any:
    defn = _indicator(indicator_id)
    value = _check_value(defn, body.target)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        await targets_store.set_target(conn, indicator_id, fiscal_year, value, principal)
    return {
        "indicator_id": indicator_id,
        "fiscal_year": fiscal_year,
        "target": value,
        "target_source": "fiscal_year",
    }


@router.delete("/{indicator_id}/{fiscal_year}", status_code=204, summary="年度別の目標値を削除")
async def delete_target(
    principal: CityOfficial, request: Request, indicator_id: str, fiscal_year: PathYear
) -> None:
    """Removes a year's own target; a standing (every-year) target applies again."""
    _indicator(indicator_id)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        if not await targets_store.clear_target(conn, indicator_id, fiscal_year):
            raise Refused(404, "fiscal_year", "この年度の目標値はありません / no target set")
