"""SQL of consultation_facts (intake.ConsultationReceived), read as counts per agency."""

from __future__ import annotations

import asyncpg


async def by_agency(conn: asyncpg.Connection, fiscal_year: int) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT agency_id, count(*) AS n FROM consultation_facts WHERE fiscal_year = $1"
        " GROUP BY agency_id ORDER BY agency_id",
        fiscal_year,
    )
    return {r["agency_id"]: r["n"] for r in rows}
