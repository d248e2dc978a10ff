"""SQL for consents (本人同意)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from intake.domain.consent import ConsentIn
from intake.domain.models import ConsentRecord
from intake.store.rows import maybe_row_to, rows_to
from kasane.consent import Consent, ended


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


async def get(conn: asyncpg.Connection, consent_id: UUID) -> ConsentRecord | None:
    return maybe_row_to(
        ConsentRecord,
        await conn.fetchrow("SELECT * FROM consents WHERE id = $1 FOR UPDATE", consent_id),
    )


async def withdraw(conn: asyncpg.Connection, consent_id: UUID, on: date) -> None:
    await conn.execute("UPDATE consents SET withdrawn_on = $2 WHERE id = $1", consent_id, on)


async def for_case(conn: asyncpg.Connection, case_id: UUID) -> list[ConsentRecord]:
    return rows_to(
        ConsentRecord,
        await conn.fetch("SELECT * FROM consents WHERE case_id = $1 ORDER BY created_at", case_id),
    )


async def ended_ids(conn: asyncpg.Connection, case_id: UUID, today: date) -> frozenset[UUID]:
    """Consents not in force today (``kasane.consent``: withdrawn from its date, expired
    after its last valid day): sharing that rests on them stops."""
    return ended([to_domain(r) for r in await for_case(conn, case_id)], today)


def to_domain(row: ConsentRecord) -> Consent:
    return Consent(
        consent_id=row.id,
        case_id=row.case_id,
        scope_agencies=frozenset(row.scope_agencies),
        scope_programs=frozenset(row.scope_programs),
        scope_meeting_types=frozenset(row.scope_meeting_types),
        consented_on=row.consented_on,
        expires_on=row.expires_on,
        withdrawn_on=row.withdrawn_on,
    )
