"""SQL for the agenda items of an agency's own cases (GET /agenda/mine)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg


@dataclass(frozen=True)
class MyItem:
    meeting_id: UUID
    meeting_type: str
    meeting_date: date
    meeting_status: str
    agenda_item_id: UUID
    position: int
    case_id: UUID
    kind: str
    presenting_agency_id: str
    lead_agency_id: str | None


async def upcoming(
    conn: asyncpg.Connection, agency_id: str, since: date, limit: int
) -> list[MyItem]:
    """Items on meetings from ``since`` on whose case the agency leads (主担当) or that it
    presents, in meeting order."""
    rows = await conn.fetch(
        "SELECT m.id AS meeting_id, m.meeting_type, m.meeting_date, m.status AS meeting_status,"
        " a.id AS agenda_item_id, a.position, a.case_id, a.kind, a.presenting_agency_id,"
        " c.lead_agency_id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id"
        " LEFT JOIN cases c ON c.case_id = a.case_id"
        " WHERE m.meeting_date >= $2 AND (c.lead_agency_id = $1 OR a.presenting_agency_id = $1)"
        " ORDER BY m.meeting_date, m.id, a.position LIMIT $3",
        agency_id,
        since,
        limit,
    )
    return [MyItem(**dict(r)) for r in rows]
