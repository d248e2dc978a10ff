"""SQL of targets: a year-specific row wins over a standing (every-year) one."""

from __future__ import annotations

import asyncpg

from indicators.domain.report import Target
from kasane.auth import Principal


async def effective_targets(conn: asyncpg.Connection, fiscal_year: int) -> dict[str, Target]:
    rows = await conn.fetch(
        "SELECT DISTINCT ON (indicator_id) indicator_id, target, fiscal_year FROM targets"
        " WHERE fiscal_year = $1 OR fiscal_year IS NULL"
        " ORDER BY indicator_id, fiscal_year NULLS LAST",
        fiscal_year,
    )
    return {
        r["indicator_id"]: Target(
            float(r["target"]), "every_year" if r["fiscal_year"] is None else "fiscal_year"
        )
        for r in rows
    }


async def set_target(
    conn: asyncpg.Connection, indicator_id: str, fiscal_year: int, value: float, by: Principal
) -> None:
    await conn.execute(
        "INSERT INTO targets (indicator_id, fiscal_year, target, source, set_by_agency,"
        " set_by_sub) VALUES ($1, $2, $3, 'city', $4, $5)"
        " ON CONFLICT (indicator_id, coalesce(fiscal_year, -1)) DO UPDATE SET"
        " target = EXCLUDED.target, source = 'city', set_by_agency = EXCLUDED.set_by_agency,"
        " set_by_sub = EXCLUDED.set_by_sub, set_at = now()",
        indicator_id,
        fiscal_year,
        value,
        by.agency,
        by.sub,
    )


async def clear_target(conn: asyncpg.Connection, indicator_id: str, fiscal_year: int) -> bool:
    deleted = await conn.fetchval(
        "DELETE FROM targets WHERE indicator_id = $1 AND fiscal_year = $2 RETURNING true",
        indicator_id,
        fiscal_year,
    )
    return bool(deleted)
