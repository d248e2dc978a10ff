"""The read models referral keeps of other services' facts: intake's cases and consents
(kasane.intake.v1) and meetings' decisions (kasane.meetings.v1)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from kasane.consent import Consent
from referral.domain.legal_basis import MeetingDecision
from referral.domain.referrals import CaseView


async def upsert_case(
    conn: asyncpg.Connection, case_id: UUID, lead_agency_id: str, opened_on: date
) -> None:
    await conn.execute(
        "INSERT INTO cases (case_id, lead_agency_id, opened_on) VALUES ($1, $2, $3)"
        " ON CONFLICT (case_id) DO UPDATE SET lead_agency_id = EXCLUDED.lead_agency_id,"
        " opened_on = EXCLUDED.opened_on",
        case_id,
        lead_agency_id,
        opened_on,
    )


async def close_case(conn: asyncpg.Connection, case_id: UUID, closed_on: date) -> None:
    await conn.execute("UPDATE cases SET closed_on = $2 WHERE case_id = $1", case_id, closed_on)


async def get_case(conn: asyncpg.Connection, case_id: UUID) -> CaseView | None:
    row = await conn.fetchrow(
        "SELECT case_id, lead_agency_id, opened_on, closed_on FROM cases WHERE case_id = $1",
        case_id,
    )
    return None if row is None else CaseView(**dict(row))


async def upsert_consent(conn: asyncpg.Connection, case_id: UUID, consent: Consent) -> None:
    await conn.execute(
        "INSERT INTO consents (consent_id, case_id, scope_agencies, scope_programs,"
        " consented_on, expires_on) VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (consent_id) DO UPDATE SET scope_agencies = EXCLUDED.scope_agencies,"
        " scope_programs = EXCLUDED.scope_programs, consented_on = EXCLUDED.consented_on,"
        " expires_on = EXCLUDED.expires_on",
        consent.consent_id,
        case_id,
        list(consent.scope_agencies),
        list(consent.scope_programs),
        consent.consented_on,
        consent.expires_on,
    )


async def withdraw_consent(
    conn: asyncpg.Connection, consent_id: UUID, case_id: UUID, withdrawn_on: date
) -> None:
    # A withdrawal seen before its consent still has to count: keep a stub row.
    await conn.execute(
        "INSERT INTO consents (consent_id, case_id, scope_agencies, scope_programs,"
        " consented_on, withdrawn_on) VALUES ($1, $2, '{}', '{}', $3, $3)"
        " ON CONFLICT (consent_id) DO UPDATE SET withdrawn_on = EXCLUDED.withdrawn_on",
        consent_id,
        case_id,
        withdrawn_on,
    )


async def consents_of_case(conn: asyncpg.Connection, case_id: UUID) -> list[Consent]:
    rows = await conn.fetch(
        "SELECT consent_id, scope_agencies, scope_programs, consented_on, expires_on,"
        " withdrawn_on FROM consents WHERE case_id = $1",
        case_id,
    )
    return [
        Consent(
            consent_id=r["consent_id"],
            case_id=case_id,
            scope_agencies=frozenset(r["scope_agencies"]),
            scope_programs=frozenset(r["scope_programs"]),
            consented_on=r["consented_on"],
            expires_on=r["expires_on"],
            withdrawn_on=r["withdrawn_on"],
        )
        for r in rows
    ]


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
