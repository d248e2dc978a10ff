"""concerns SQL: the reports, and the agencies whose intake queued one (concern_access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

import asyncpg

from community.domain.concerns import ConcernIn


@dataclass(frozen=True)
class Concern:
    """A whole report, personal details included: read only through an audited use case."""

    id: UUID
    agency_id: str
    school_district_code: str
    reporter_type: str
    urgency: str
    issue_codes: list[str]
    noticed: str
    location: str
    reporter_contact: str | None
    reported_on: date
    created_at: datetime


@dataclass(frozen=True)
class ConcernListed:
    """Codes only, and where it was queued."""

    id: UUID
    school_district_code: str
    reporter_type: str
    urgency: str
    issue_codes: list[str]
    reported_on: date
    queued_at: list[str]


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


async def get(conn: asyncpg.Connection, concern_id: UUID) -> Concern | None:
    row = await conn.fetchrow(
        "SELECT id, agency_id, school_district_code, reporter_type, urgency, issue_codes,"
        " noticed, location, reporter_contact, reported_on, created_at"
        " FROM concerns WHERE id = $1",
        concern_id,
    )
    return (
        None if row is None else Concern(**{**dict(row), "issue_codes": list(row["issue_codes"])})
    )


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
) -> list[ConcernListed]:
    rows = await conn.fetch(
        "SELECT id, school_district_code, reporter_type, urgency, issue_codes, reported_on,"
        " (SELECT array_agg(agency_id ORDER BY agency_id) FROM concern_access a"
        "   WHERE a.concern_id = c.id) AS queued_at"
        " FROM concerns c WHERE agency_id = $1 AND ($2::date IS NULL OR reported_on >= $2)"
        " ORDER BY reported_on DESC, id",
        agency_id,
        since,
    )
    return [
        ConcernListed(
            id=r["id"],
            school_district_code=r["school_district_code"],
            reporter_type=r["reporter_type"],
            urgency=r["urgency"],
            issue_codes=list(r["issue_codes"]),
            reported_on=r["reported_on"],
            queued_at=list(r["queued_at"] or []),
        )
        for r in rows
    ]
