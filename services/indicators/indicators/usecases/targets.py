"""Targets per indicator and fiscal year, set by the city (one transaction each)."""

from __future__ import annotations

import asyncpg

from indicators.domain.targets import checked_value, indicator
from indicators.store import targets
from kasane.auth import Principal
from kasane.errors import NotFound


async def set_target(
    pool: asyncpg.Pool, principal: Principal, indicator_id: str, fiscal_year: int, value: float
) -> float:
    """Sets a year's own target; the value as stored."""
    checked = checked_value(indicator(indicator_id), value)
    async with pool.acquire() as conn, conn.transaction():
        await targets.set_target(conn, indicator_id, fiscal_year, checked, principal)
    return checked


async def clear_target(pool: asyncpg.Pool, indicator_id: str, fiscal_year: int) -> None:
    """Removes a year's own target; a standing (every-year) target applies again."""
    indicator(indicator_id)
    async with pool.acquire() as conn, conn.transaction():
        if not await targets.clear_target(conn, indicator_id, fiscal_year):
            raise NotFound("fiscal_year", "この年度の目標値はありません / no target set")
