"""Aggregates for the city: counts by code, never a person."""

from __future__ import annotations

from datetime import date

import asyncpg


async def _counts(conn: asyncpg.Connection, sql: str, *args: object) -> dict[str, int]:
    return {r["k"]: r["n"] for r in await conn.fetch(sql, *args)}


async def fiscal_year_counts(
    conn: asyncpg.Connection, first: date, last: date
) -> dict[str, dict[str, int]]:
    return {
        "registered_by_source": await _counts(
            conn,
            "SELECT source AS k, count(*) AS n FROM targets"
            " WHERE registered_on BETWEEN $1 AND $2 GROUP BY source ORDER BY source",
            first,
            last,
        ),
        "stage_changes_to": await _counts(
            conn,
            "SELECT to_stage AS k, count(*) AS n FROM stage_changes"
            " WHERE changed_on BETWEEN $1 AND $2 GROUP BY to_stage ORDER BY to_stage",
            first,
            last,
        ),
        "contacts_by_result": await _counts(
            conn,
            "SELECT result AS k, count(*) AS n FROM contacts"
            " WHERE attempted_on BETWEEN $1 AND $2 GROUP BY result ORDER BY result",
            first,
            last,
        ),
        "plans_submitted_by_status": await _counts(
            conn,
            "SELECT status AS k, count(*) AS n FROM plans"
            " WHERE submitted_on BETWEEN $1 AND $2 GROUP BY status ORDER BY status",
            first,
            last,
        ),
        "ended_by_reason": await _counts(
            conn,
            "SELECT end_reason AS k, count(*) AS n FROM targets"
            " WHERE ended_on BETWEEN $1 AND $2 GROUP BY end_reason ORDER BY end_reason",
            first,
            last,
        ),
    }


async def open_by_stage(conn: asyncpg.Connection) -> dict[str, int]:
    return await _counts(
        conn,
        "SELECT stage AS k, count(*) AS n FROM targets WHERE status = 'open'"
        " GROUP BY stage ORDER BY stage",
    )
