"""参加機関 and 守秘義務 pledges."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

import asyncpg

from meetings.domain.members import Member, member_order


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
        "INSERT INTO meeting_members (meeting_id, agency_id, source, case_ids, added_by)"
        " VALUES ($1, $2, 'case', $3, $4)"
        " ON CONFLICT (meeting_id, agency_id) DO UPDATE SET case_ids ="
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
        "SELECT m.agency_id, m.source, m.case_ids, p.pledged_on FROM meeting_members m"
        " LEFT JOIN pledges p USING (meeting_id, agency_id) WHERE m.meeting_id = $1",
        meeting_id,
    )
    found = {
        r["agency_id"]: Member(
            agency_id=r["agency_id"],
            source=r["source"],
            case_ids=frozenset(r["case_ids"]),
            pledged_on=r["pledged_on"],
        )
        for r in rows
    }
    return {a: found[a] for a in sorted(found, key=member_order)}


async def record_pledge(
    conn: asyncpg.Connection,
    meeting_id: UUID,
    agency_id: str,
    pledged_on: date,
    recorded_by: str,
    recorded_by_agency: str,
) -> None:
    await conn.execute(
        "INSERT INTO pledges (meeting_id, agency_id, pledged_on, recorded_by, recorded_by_agency)"
        " VALUES ($1, $2, $3, $4, $5)",
        meeting_id,
        agency_id,
        pledged_on,
        recorded_by,
        recorded_by_agency,
    )
