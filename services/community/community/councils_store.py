"""support_councils SQL."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from community.councils import CouncilIn
from kasane.fiscal_year import fiscal_year_of


async def insert(
    conn: asyncpg.Connection, council_id: UUID, data: CouncilIn, agency_id: str, by: str
) -> bool:
    """False if this 校区 already has a council meeting on that day (a retried POST)."""
    status: str = await conn.execute(
        "INSERT INTO support_councils (id, school_district_code, held_on, participants,"
        " topic_codes, notes, fiscal_year, agency_id, created_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (school_district_code, held_on) DO NOTHING",
        council_id,
        data.school_district_code,
        data.held_on,
        data.participants,
        data.topic_codes,
        data.notes,
        fiscal_year_of(data.held_on),
        agency_id,
        by,
    )
    return status.endswith(" 1")


async def listing(
    conn: asyncpg.Connection, fiscal_year: int, district: str | None
) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT id, school_district_code, held_on, participants, topic_codes"
            " FROM support_councils WHERE fiscal_year = $1"
            " AND ($2::text IS NULL OR school_district_code = $2)"
            " ORDER BY held_on, school_district_code",
            fiscal_year,
            district,
        )
    )
