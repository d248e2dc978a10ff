"""support_councils SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from community.domain.councils import CouncilIn
from kasane.fiscal_year import fiscal_year_of


@dataclass(frozen=True)
class CouncilMeeting:
    """A held meeting, without its notes (they may name residents and are never listed)."""

    id: UUID
    school_district_code: str
    held_on: date
    participants: int
    topic_codes: list[str]


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
) -> list[CouncilMeeting]:
    rows = await conn.fetch(
        "SELECT id, school_district_code, held_on, participants, topic_codes"
        " FROM support_councils WHERE fiscal_year = $1"
        " AND ($2::text IS NULL OR school_district_code = $2)"
        " ORDER BY held_on, school_district_code",
        fiscal_year,
        district,
    )
    return [
        CouncilMeeting(
            id=r["id"],
            school_district_code=r["school_district_code"],
            held_on=r["held_on"],
            participants=r["participants"],
            topic_codes=list(r["topic_codes"]),
        )
        for r in rows
    ]
