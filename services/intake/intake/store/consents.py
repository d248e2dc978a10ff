"""SQL for consents (本人同意)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from intake.domain.consent import Consent, ConsentIn


async def insert(
    conn: asyncpg.Connection, consent_id: UUID, case_id: UUID, data: ConsentIn, by: str, agency: str
) -> None:
    await conn.execute(
        "INSERT INTO consents (id, case_id, person_id, scope_agencies, scope_programs,"
        " scope_meeting_types, method, consented_on, expires_on, recorded_by, recorded_agency)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
        consent_id,
        case_id,
        data.person_id,
        data.scope.agencies,
        list(data.scope.programs),
        list(data.scope.meeting_types),
        data.method,
        data.consented_on,
        data.expires_on,
        by,
        agency,
    )


async def get(conn: asyncpg.Connection, consent_id: UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM consents WHERE id = $1 FOR UPDATE", consent_id
    )
    return row


async def withdraw(conn: asyncpg.Connection, consent_id: UUID, on: date) -> None:
    await conn.execute("UPDATE consents SET withdrawn_on = $2 WHERE id = $1", consent_id, on)


async def for_case(conn: asyncpg.Connection, case_id: UUID) -> list[asyncpg.Record]:
    return list(
        await conn.fetch("SELECT * FROM consents WHERE case_id = $1 ORDER BY created_at", case_id)
    )


async def ended_ids(conn: asyncpg.Connection, case_id: UUID, today: date) -> frozenset[UUID]:
    """Consents that no longer allow sharing: withdrawn, or past their last valid day."""
    rows = await conn.fetch(
        "SELECT id FROM consents WHERE case_id = $1"
        " AND (withdrawn_on IS NOT NULL OR expires_on < $2)",
        case_id,
        today,
    )
    return frozenset(r["id"] for r in rows)


def to_domain(row: asyncpg.Record) -> Consent:
    return Consent(
        consent_id=row["id"],
        agencies=frozenset(row["scope_agencies"]),
        programs=frozenset(row["scope_programs"]),
        meeting_types=frozenset(row["scope_meeting_types"]),
        consented_on=row["consented_on"],
        expires_on=row["expires_on"],
        withdrawn_on=row["withdrawn_on"],
    )
