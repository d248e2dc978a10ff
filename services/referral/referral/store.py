"""referral's SQL: the case and consent read models, and referrals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from kasane.consent import Consent
from referral.domain import MeetingDecision, Parties

# ---- read models (from kasane.intake.v1) ----


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


async def get_case(conn: asyncpg.Connection, case_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT case_id, lead_agency_id, closed_on FROM cases WHERE case_id = $1", case_id
    )


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


# ---- referrals ----


async def accepted_receivers(conn: asyncpg.Connection, case_id: UUID) -> set[str]:
    rows = await conn.fetch(
        "SELECT receiver_agency_id FROM referrals WHERE case_id = $1 AND status = 'accepted'",
        case_id,
    )
    return {r["receiver_agency_id"] for r in rows}


async def insert_referral(conn: asyncpg.Connection, row: dict[str, Any]) -> None:
    columns = list(row)
    await conn.execute(
        f"INSERT INTO referrals ({', '.join(columns)})"
        f" VALUES ({', '.join(f'${i}' for i in range(1, len(columns) + 1))})",
        *row.values(),
    )


async def get_referral(
    conn: asyncpg.Connection, referral_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM referrals WHERE referral_id = $1{lock}", referral_id)


def parties(row: asyncpg.Record) -> Parties:
    return Parties(
        owner=row["owner_agency_id"],
        sender=row["from_agency_id"],
        receiver=row["receiver_agency_id"],
        status=row["status"],
    )


async def accept(conn: asyncpg.Connection, referral_id: UUID, at: datetime) -> None:
    await conn.execute(
        "UPDATE referrals SET status = 'accepted', decided_at = $2 WHERE referral_id = $1",
        referral_id,
        at,
    )


async def decline(
    conn: asyncpg.Connection, referral_id: UUID, at: datetime, reason_code: str
) -> None:
    await conn.execute(
        "UPDATE referrals SET status = 'declined', decided_at = $2, decline_reason_code = $3"
        " WHERE referral_id = $1",
        referral_id,
        at,
        reason_code,
    )


async def complete(
    conn: asyncpg.Connection, referral_id: UUID, at: datetime, outcome_code: str
) -> None:
    await conn.execute(
        "UPDATE referrals SET status = 'completed', completed_at = $2, outcome_code = $3"
        " WHERE referral_id = $1",
        referral_id,
        at,
        outcome_code,
    )


async def revoke(
    conn: asyncpg.Connection, referral_id: UUID, at: datetime, reason_code: str
) -> None:
    await conn.execute(
        "UPDATE referrals SET status = 'revoked', revoked_at = $2, revoke_reason_code = $3"
        " WHERE referral_id = $1",
        referral_id,
        at,
        reason_code,
    )


async def open_referrals_on_consent(
    conn: asyncpg.Connection, consent_id: UUID
) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT * FROM referrals WHERE consent_id = $1"
            " AND status IN ('requested', 'accepted') ORDER BY requested_at FOR UPDATE",
            consent_id,
        )
    )


async def list_for_agency(
    conn: asyncpg.Connection,
    agency: str,
    *,
    direction: str | None,
    status: str | None,
    overdue_as_of: date | None,
    limit: int,
) -> list[asyncpg.Record]:
    """Referrals the agency may see (same rule as domain.can_see), newest first."""
    visible = {
        "sent": "from_agency_id = $1",
        "received": "receiver_agency_id = $1 AND status <> 'revoked'",
        None: "(from_agency_id = $1 OR owner_agency_id = $1"
        " OR (receiver_agency_id = $1 AND status <> 'revoked'))",
    }[direction]
    clauses: list[str] = [visible]
    args: list[object] = [agency]
    if status is not None:
        args.append(status)
        clauses.append(f"status = ${len(args)}")
    if overdue_as_of is not None:
        args.append(overdue_as_of)
        clauses.append(f"status = 'requested' AND due_on < ${len(args)}")
    args.append(limit)
    return list(
        await conn.fetch(
            f"SELECT * FROM referrals WHERE {' AND '.join(clauses)}"
            f" ORDER BY requested_at DESC LIMIT ${len(args)}",
            *args,
        )
    )
