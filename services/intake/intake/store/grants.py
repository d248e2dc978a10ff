"""SQL for access grants learned from other services' events."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import asyncpg

from intake.domain.access import Grant
from intake.domain.models import GrantRecord
from intake.store.rows import rows_to


async def grant(
    conn: asyncpg.Connection,
    *,
    case_id: UUID,
    agency_id: str,
    source: str,
    source_id: UUID,
    legal_basis: str,
    consent_id: UUID | None,
    at: datetime,
    event_id: UUID,
    expires_on: date | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO access_grants (case_id, agency_id, source, source_id, legal_basis,"
        " consent_id, granted_at, event_id, expires_on) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)"
        " ON CONFLICT (case_id, agency_id, source, source_id) DO NOTHING",
        case_id,
        agency_id,
        source,
        source_id,
        legal_basis,
        consent_id,
        at,
        event_id,
        expires_on,
    )


async def revoke(
    conn: asyncpg.Connection, source: str, source_id: UUID, at: datetime, reason: str
) -> None:
    await conn.execute(
        "UPDATE access_grants SET revoked_at = $3, end_reason = $4"
        " WHERE source = $1 AND source_id = $2 AND revoked_at IS NULL",
        source,
        source_id,
        at,
        reason,
    )


async def end_meeting_grants(
    conn: asyncpg.Connection, case_id: UUID, at: datetime, reason: str
) -> None:
    """End every live meeting grant on the case granted before ``at`` (case closure, plan
    end); a later meeting decision grants anew."""
    await conn.execute(
        "UPDATE access_grants SET revoked_at = $2, end_reason = $3"
        " WHERE case_id = $1 AND source = 'meeting' AND revoked_at IS NULL"
        " AND granted_at <= $2",
        case_id,
        at,
        reason,
    )


async def about_person(conn: asyncpg.Connection, person_id: UUID) -> list[GrantRecord]:
    """Every grant on the person's cases (as primary person or household member): who was
    let in, on which basis, until when, and why it ended (for the 開示請求)."""
    return rows_to(
        GrantRecord,
        await conn.fetch(
            "WITH households AS (SELECT household_id FROM household_members"
            "   WHERE person_id = $1)"
            " SELECT g.* FROM access_grants g JOIN cases c ON c.id = g.case_id"
            " WHERE c.primary_person_id = $1"
            "   OR c.household_id IN (SELECT household_id FROM households)"
            " ORDER BY g.granted_at, g.agency_id",
            person_id,
        ),
    )


async def for_case(conn: asyncpg.Connection, case_id: UUID) -> list[Grant]:
    rows = await conn.fetch("SELECT * FROM access_grants WHERE case_id = $1", case_id)
    return [
        Grant(
            agency_id=r["agency_id"],
            source=r["source"],
            source_id=r["source_id"],
            legal_basis=r["legal_basis"],
            consent_id=r["consent_id"],
            granted_at=r["granted_at"],
            revoked_at=r["revoked_at"],
            expires_on=r["expires_on"],
            end_reason=r["end_reason"],
        )
        for r in rows
    ]


async def revoke_others(
    conn: asyncpg.Connection, source: str, source_id: UUID, keep: list[str], at: datetime
) -> None:
    """Revoke the source's live grants held by agencies not in ``keep``."""
    await conn.execute(
        "UPDATE access_grants SET revoked_at = $4, end_reason = 'role_removed'"
        " WHERE source = $1 AND source_id = $2"
        " AND revoked_at IS NULL AND NOT (agency_id = ANY($3))",
        source,
        source_id,
        keep,
        at,
    )


async def revoke_for_consent(conn: asyncpg.Connection, consent_id: UUID) -> None:
    """同意の撤回: sharing that rests on the consent stops at once."""
    await conn.execute(
        "UPDATE access_grants SET revoked_at = now() WHERE consent_id = $1 AND revoked_at IS NULL",
        consent_id,
    )
