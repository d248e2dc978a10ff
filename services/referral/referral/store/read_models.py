"""The read model referral keeps of meetings' decisions (kasane.meetings.v1). Intake's cases
and consents are the shared read model, ``kasane.intake_view``."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from referral.domain.legal_basis import MeetingDecision


async def upsert_meeting_decision(conn: asyncpg.Connection, decision: MeetingDecision) -> None:
    await conn.execute(
        "INSERT INTO meeting_decisions (decision_id, case_id, meeting_id, meeting_type, outcome,"
        " decided_on, member_agency_ids, access_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (decision_id) DO NOTHING",
        decision.decision_id,
        decision.case_id,
        decision.meeting_id,
        decision.meeting_type,
        decision.outcome,
        decision.decided_on,
        sorted(decision.member_agency_ids),
        decision.access_until,
    )


async def get_meeting_decision(
    conn: asyncpg.Connection, decision_id: UUID
) -> MeetingDecision | None:
    row = await conn.fetchrow("SELECT * FROM meeting_decisions WHERE decision_id = $1", decision_id)
    if row is None:
        return None
    return MeetingDecision(
        decision_id=row["decision_id"],
        case_id=row["case_id"],
        meeting_id=row["meeting_id"],
        meeting_type=row["meeting_type"],
        outcome=row["outcome"],
        decided_on=row["decided_on"],
        member_agency_ids=frozenset(row["member_agency_ids"]),
        access_until=row["access_until"],
    )
