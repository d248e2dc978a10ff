"""参加機関, their admission by 社協, and the annual 守秘義務 pledges."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from meetings.domain.members import Member, member_order


@dataclass(frozen=True)
class Pledge:
    """An agency's 守秘義務の誓約 for one fiscal year."""

    agency_id: str
    fiscal_year: int
    pledged_on: date


async def add_defaults(
    conn: asyncpg.Connection, meeting_id: UUID, agency_ids: Iterable[str], added_by: str
) -> None:
    await conn.executemany(
        "INSERT INTO meeting_members (meeting_id, agency_id, source, added_by)"
        " VALUES ($1, $2, 'default', $3) ON CONFLICT DO NOTHING",
        [(meeting_id, a, added_by) for a in agency_ids],
    )


async def add_for_cases(
    conn: asyncpg.Connection,
    meeting_id: UUID,
    agency_id: str,
    case_ids: list[UUID],
    added_by: str,
) -> None:
    """A case-specific member; adding more cases to an existing one widens it."""
    await conn.execute(
        "INSERT INTO meeting_members (meeting_id, agency_id, source, case_ids, added_by,"
        " admitted_on, admitted_by)"
        " VALUES ($1, $2, 'case', $3, $4, (now() AT TIME ZONE 'Asia/Tokyo')::date, $4)"
        " ON CONFLICT (meeting_id, agency_id) DO UPDATE SET"
        " admitted_on = coalesce(meeting_members.admitted_on, EXCLUDED.admitted_on),"
        " admitted_by = coalesce(meeting_members.admitted_by, EXCLUDED.admitted_by),"
        " case_ids ="
        " CASE WHEN meeting_members.source = 'default' OR cardinality($3::uuid[]) = 0"
        "   THEN meeting_members.case_ids"
        "   ELSE ARRAY(SELECT DISTINCT unnest(meeting_members.case_ids || $3::uuid[])) END",
        meeting_id,
        agency_id,
        case_ids,
        added_by,
    )


async def of_meeting(conn: asyncpg.Connection, meeting_id: UUID) -> dict[str, Member]:
    rows = await conn.fetch(
        "SELECT m.agency_id, m.source, m.case_ids, m.admitted_on, p.pledged_on"
        " FROM meeting_members m JOIN meetings g ON g.id = m.meeting_id"
        " LEFT JOIN annual_pledges p ON p.agency_id = m.agency_id"
        "  AND p.fiscal_year = g.fiscal_year"
        " WHERE m.meeting_id = $1",
        meeting_id,
    )
    found = {
        r["agency_id"]: Member(
            agency_id=r["agency_id"],
            source=r["source"],
            case_ids=frozenset(r["case_ids"]),
            pledged_on=r["pledged_on"],
            admitted_on=r["admitted_on"],
        )
        for r in rows
    }
    return {a: found[a] for a in sorted(found, key=member_order)}


async def admit(
    conn: asyncpg.Connection,
    meeting_id: UUID,
    agency_ids: list[str],
    admitted_on: date,
    admitted_by: str,
) -> None:
    """社協's decision; admitting an admitted member again keeps the first decision."""
    await conn.execute(
        "UPDATE meeting_members SET admitted_on = $3, admitted_by = $4"
        " WHERE meeting_id = $1 AND agency_id = ANY($2) AND admitted_on IS NULL",
        meeting_id,
        agency_ids,
        admitted_on,
        admitted_by,
    )


async def record_annual_pledge(
    conn: asyncpg.Connection,
    agency_id: str,
    fiscal_year: int,
    pledged_on: date,
    recorded_by: str,
    recorded_by_agency: str,
) -> date | None:
    """Insert the pledge; if the agency already has one for that year, return its date."""
    inserted = await conn.fetchval(
        "INSERT INTO annual_pledges (agency_id, fiscal_year, pledged_on, recorded_by,"
        " recorded_by_agency) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (agency_id, fiscal_year) DO NOTHING RETURNING pledged_on",
        agency_id,
        fiscal_year,
        pledged_on,
        recorded_by,
        recorded_by_agency,
    )
    if inserted is not None:
        return None
    existing: date = await conn.fetchval(
        "SELECT pledged_on FROM annual_pledges WHERE agency_id = $1 AND fiscal_year = $2",
        agency_id,
        fiscal_year,
    )
    return existing


async def annual_pledges(conn: asyncpg.Connection, fiscal_year: int) -> list[Pledge]:
    rows = await conn.fetch(
        "SELECT agency_id, fiscal_year, pledged_on FROM annual_pledges"
        " WHERE fiscal_year = $1 ORDER BY agency_id",
        fiscal_year,
    )
    return [Pledge(**dict(r)) for r in rows]
