"""concerns SQL."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from community.concerns import ConcernIn


async def insert(
    conn: asyncpg.Connection,
    concern_id: UUID,
    data: ConcernIn,
    reported_on: date,
    agency_id: str,
    by: str,
) -> None:
    await conn.execute(
        "INSERT INTO concerns (id, agency_id, school_district_code, reporter_type, urgency,"
        " issue_codes, noticed, location, reporter_contact, reported_on, created_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        concern_id,
        agency_id,
        data.school_district_code,
        data.reporter_type,
        data.urgency,
        data.issue_codes,
        data.noticed,
        data.location,
        data.reporter_contact,
        reported_on,
        by,
    )


async def get(conn: asyncpg.Connection, concern_id: UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM concerns WHERE id = $1", concern_id
    )
    return row


async def granted_agencies(conn: asyncpg.Connection, concern_id: UUID) -> set[str]:
    rows = await conn.fetch(
        "SELECT agency_id FROM concern_access WHERE concern_id = $1", concern_id
    )
    return {r["agency_id"] for r in rows}


async def grant(
    conn: asyncpg.Connection, concern_id: UUID, agency_id: str, consultation_id: UUID
) -> bool:
    """False if the concern is not ours (e.g. another municipality's) or already granted."""
    status: str = await conn.execute(
        "INSERT INTO concern_access (concern_id, agency_id, consultation_id)"
        " SELECT id, $2, $3 FROM concerns WHERE id = $1"
        " ON CONFLICT (concern_id, agency_id) DO NOTHING",
        concern_id,
        agency_id,
        consultation_id,
    )
    return status.endswith(" 1")


async def listing(
    conn: asyncpg.Connection, agency_id: str, since: date | None
) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT id, school_district_code, reporter_type, urgency, issue_codes, reported_on,"
            " (SELECT array_agg(agency_id ORDER BY agency_id) FROM concern_access a"
            "   WHERE a.concern_id = c.id) AS queued_at"
            " FROM concerns c WHERE agency_id = $1 AND ($2::date IS NULL OR reported_on >= $2)"
            " ORDER BY reported_on DESC, id",
            agency_id,
            since,
        )
    )
