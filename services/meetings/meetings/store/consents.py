"""Read model of intake's consent events."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from kasane.consent import Consent
from kasane.events.intake import ConsentRecorded


def _to_consent(row: Any) -> Consent:
    return Consent(
        consent_id=row["consent_id"],
        case_id=row["case_id"],
        scope_agencies=frozenset(row["scope_agencies"]),
        scope_programs=frozenset(row["scope_programs"]),
        scope_meeting_types=frozenset(row["scope_meeting_types"]),
        consented_on=row["consented_on"],
        expires_on=row["expires_on"],
        withdrawn_on=row["withdrawn_on"],
    )


async def recorded(conn: asyncpg.Connection, event: ConsentRecorded) -> None:
    # A withdrawal seen first keeps its date: the record fills in the rest.
    await conn.execute(
        "INSERT INTO consents (consent_id, case_id, scope_agencies, scope_programs,"
        " scope_meeting_types, method, consented_on, expires_on)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (consent_id) DO UPDATE SET case_id = EXCLUDED.case_id,"
        " scope_agencies = EXCLUDED.scope_agencies, scope_programs = EXCLUDED.scope_programs,"
        " scope_meeting_types = EXCLUDED.scope_meeting_types, method = EXCLUDED.method,"
        " consented_on = EXCLUDED.consented_on, expires_on = EXCLUDED.expires_on",
        event.consent_id,
        event.case_id,
        list(event.scope_agencies),
        list(event.scope_programs),
        list(event.scope_meeting_types),
        event.method,
        event.consented_on,
        event.expires_on,
    )


async def withdrawn(
    conn: asyncpg.Connection, consent_id: UUID, case_id: UUID, withdrawn_on: date
) -> None:
    await conn.execute(
        "INSERT INTO consents (consent_id, case_id, withdrawn_on) VALUES ($1, $2, $3)"
        " ON CONFLICT (consent_id) DO UPDATE SET withdrawn_on ="
        " LEAST(coalesce(consents.withdrawn_on, EXCLUDED.withdrawn_on), EXCLUDED.withdrawn_on)",
        consent_id,
        case_id,
        withdrawn_on,
    )


async def for_case(conn: asyncpg.Connection, case_id: UUID) -> list[Consent]:
    rows = await conn.fetch("SELECT * FROM consents WHERE case_id = $1", case_id)
    return [_to_consent(r) for r in rows]


async def for_cases(conn: asyncpg.Connection, case_ids: list[UUID]) -> dict[UUID, list[Consent]]:
    rows = await conn.fetch("SELECT * FROM consents WHERE case_id = ANY($1)", case_ids)
    found: dict[UUID, list[Consent]] = {c: [] for c in case_ids}
    for row in rows:
        found[row["case_id"]].append(_to_consent(row))
    return found
