"""議題 rows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from meetings.domain.agenda import AgendaItem, Basis

_SELECT = (
    "SELECT a.id, a.meeting_id, a.position, a.case_id, a.kind, a.legal_basis, a.consent_id,"
    " a.plan_id, a.presenting_agency_id, a.summary, a.source,"
    " EXISTS (SELECT 1 FROM decisions d WHERE d.agenda_item_id = a.id) AS decided"
    " FROM agenda_items a"
)


def _to_item(row: Any) -> AgendaItem:
    return AgendaItem(
        id=row["id"],
        meeting_id=row["meeting_id"],
        position=row["position"],
        case_id=row["case_id"],
        kind=row["kind"],
        legal_basis=row["legal_basis"],
        consent_id=row["consent_id"],
        plan_id=row["plan_id"],
        presenting_agency_id=row["presenting_agency_id"],
        summary=row["summary"],
        source=row["source"],
        decided=row["decided"],
    )


async def exists(
    conn: asyncpg.Connection, meeting_id: UUID, case_id: UUID, kind: str, plan_id: UUID | None
) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM agenda_items WHERE meeting_id = $1 AND case_id = $2"
            " AND kind = $3 AND plan_id IS NOT DISTINCT FROM $4)",
            meeting_id,
            case_id,
            kind,
            plan_id,
        )
    )


async def open_item_for_plan(conn: asyncpg.Connection, plan_id: UUID, kind: str) -> UUID | None:
    """An undecided item of ``kind`` for the plan on a meeting still to be held."""
    value = await conn.fetchval(
        "SELECT a.id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id"
        " WHERE a.plan_id = $1 AND a.kind = $2 AND m.status = 'scheduled'"
        " AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.agenda_item_id = a.id)"
        " ORDER BY m.meeting_date LIMIT 1",
        plan_id,
        kind,
    )
    return value if isinstance(value, UUID) else None


async def undecided_on_meeting(
    conn: asyncpg.Connection, meeting_id: UUID, plan_id: UUID, kind: str
) -> UUID | None:
    value = await conn.fetchval(
        "SELECT a.id FROM agenda_items a WHERE a.meeting_id = $1 AND a.plan_id = $2"
        " AND a.kind = $3"
        " AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.agenda_item_id = a.id)",
        meeting_id,
        plan_id,
        kind,
    )
    return value if isinstance(value, UUID) else None


async def insert(
    conn: asyncpg.Connection,
    item_id: UUID,
    meeting_id: UUID,
    case_id: UUID,
    kind: str,
    basis: Basis,
    plan_id: UUID | None,
    presenting_agency_id: str,
    summary: str | None,
    source: str,
    added_by: str,
) -> AgendaItem:
    # The caller holds the meeting row lock, so positions do not race.
    position = await conn.fetchval(
        "SELECT coalesce(max(position), 0) + 1 FROM agenda_items WHERE meeting_id = $1",
        meeting_id,
    )
    await conn.execute(
        "INSERT INTO agenda_items (id, meeting_id, position, case_id, kind, legal_basis,"
        " consent_id, plan_id, presenting_agency_id, summary, source, added_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        item_id,
        meeting_id,
        position,
        case_id,
        kind,
        basis.legal_basis,
        basis.consent_id,
        plan_id,
        presenting_agency_id,
        summary,
        source,
        added_by,
    )
    item = await get(conn, item_id)
    assert item is not None
    return item


async def get(conn: asyncpg.Connection, item_id: UUID) -> AgendaItem | None:
    row = await conn.fetchrow(_SELECT + " WHERE a.id = $1", item_id)
    return _to_item(row) if row else None


async def of_meeting(conn: asyncpg.Connection, meeting_id: UUID) -> list[AgendaItem]:
    rows = await conn.fetch(_SELECT + " WHERE a.meeting_id = $1 ORDER BY a.position", meeting_id)
    return [_to_item(r) for r in rows]


async def multilayer_items_of_plan(conn: asyncpg.Connection, plan_id: UUID) -> list[AgendaItem]:
    rows = await conn.fetch(
        _SELECT + " JOIN meetings m ON m.id = a.meeting_id"
        " WHERE a.plan_id = $1 AND m.meeting_type = 'multilayer_meeting' ORDER BY m.meeting_date",
        plan_id,
    )
    return [_to_item(r) for r in rows]


async def decided_count(conn: asyncpg.Connection, meeting_id: UUID) -> int:
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM decisions WHERE meeting_id = $1",
            meeting_id,
        )
    )
