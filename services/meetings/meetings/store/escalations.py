"""Cases intake escalated to 多機関協働 (intake.CaseEscalated), 社協's list to act on. The
cases' lead and closure are the shared read model, ``kasane.intake_view``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from kasane.events.intake import CaseEscalated
from kasane.intake_view.model import closed_sql


@dataclass(frozen=True)
class Escalation:
    """A case escalated to 多機関協働 (ids, dates and codes only)."""

    case_id: UUID
    escalated_on: date
    by_agency_ids: list[str]
    reason_codes: list[str]


async def escalated(conn: asyncpg.Connection, event_id: UUID, event: CaseEscalated) -> None:
    await conn.execute(
        "INSERT INTO escalations (event_id, case_id, escalated_on, by_agency_id, reason_codes)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        event_id,
        event.case_id,
        event.escalated_on,
        event.by_agency_id,
        list(event.reason_codes),
    )


async def open_escalations(conn: asyncpg.Connection) -> list[Escalation]:
    """Cases escalated to 多機関協働 that have no 多機関協働 plan yet (社協's to-do list)."""
    rows = await conn.fetch(
        "SELECT e.case_id, min(e.escalated_on) AS escalated_on,"
        " array_agg(DISTINCT e.by_agency_id) AS by_agency_ids,"
        " array_agg(DISTINCT r) AS reason_codes"
        " FROM escalations e, unnest(e.reason_codes) r"
        " WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.case_id = e.case_id"
        "   AND p.program = 'multiagency')"
        " AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_id = e.case_id"
        f"   AND {closed_sql('c')})"
        " GROUP BY e.case_id ORDER BY min(e.escalated_on), e.case_id"
    )
    return [
        Escalation(
            case_id=r["case_id"],
            escalated_on=r["escalated_on"],
            by_agency_ids=sorted(r["by_agency_ids"]),
            reason_codes=sorted(r["reason_codes"]),
        )
        for r in rows
    ]
