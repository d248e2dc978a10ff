"""Counts for one fiscal year (aggregates only)."""

from __future__ import annotations

import asyncpg

from kasane.fiscal_year import fiscal_year_bounds

# name -> (query, whether it takes the fiscal year's first and last day instead of the year)
_QUERIES: dict[str, tuple[str, bool]] = {
    "meetings_held": (
        "SELECT meeting_type AS k, count(*) AS n FROM meetings"
        " WHERE fiscal_year = $1 AND status = 'held' GROUP BY 1",
        False,
    ),
    "items_by_kind": (
        "SELECT a.kind AS k, count(*) AS n FROM agenda_items a"
        " JOIN meetings m ON m.id = a.meeting_id WHERE m.fiscal_year = $1 GROUP BY 1",
        False,
    ),
    # A plan counts in the fiscal year of its approval (docs/architecture/domain-rules.md).
    "plans_approved": (
        "SELECT program AS k, count(*) AS n FROM plans WHERE approved_on BETWEEN $1 AND $2"
        " GROUP BY 1",
        True,
    ),
    "plans_ended": (
        "SELECT end_kind AS k, count(*) AS n FROM plans WHERE ended_on BETWEEN $1 AND $2"
        " GROUP BY 1",
        True,
    ),
    "resource_gaps": (
        "SELECT category_code AS k, count(*) AS n FROM resource_gaps WHERE fiscal_year = $1"
        " GROUP BY 1",
        False,
    ),
}


async def year(conn: asyncpg.Connection, fiscal_year: int) -> dict[str, dict[str, int]]:
    bounds = fiscal_year_bounds(fiscal_year)
    found: dict[str, dict[str, int]] = {}
    for name, (sql, by_dates) in _QUERIES.items():
        rows = await conn.fetch(sql, *(bounds if by_dates else (fiscal_year,)))
        found[name] = {r["k"]: r["n"] for r in sorted(rows, key=lambda r: r["k"])}
    return found
