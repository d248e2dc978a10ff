"""Queries of the intake read model (tables in :data:`kasane.intake_view.model.TABLES`).

Every write is an upsert that a redelivery or an out-of-order arrival leaves right: an
opening never clears a closure, a record never clears a withdrawal, of two withdrawals the
earlier date holds, and of closures and of reopenings the latest date is kept (which of
the two is in force is :func:`kasane.intake_view.model.closed_on_of`).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from kasane.consent import Consent
from kasane.events.intake import ConsentRecorded
from kasane.intake_view.model import IntakeCase, closed_on_of


async def case_opened(
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


async def case_closed(conn: asyncpg.Connection, case_id: UUID, closed_on: date) -> None:
    # A closure seen before the opening still has to count: keep a row without a lead.
    # A case closed, reopened and closed again: the latest closure holds (a redelivered
    # earlier one does not bring it back).
    await conn.execute(
        "INSERT INTO cases (case_id, closed_on) VALUES ($1, $2)"
        " ON CONFLICT (case_id) DO UPDATE SET closed_on ="
        " GREATEST(cases.closed_on, EXCLUDED.closed_on)",
        case_id,
        closed_on,
    )


async def case_reopened(conn: asyncpg.Connection, case_id: UUID, reopened_on: date) -> None:
    # Seen before the closure it ends, the date is kept: that closure then reads as undone.
    await conn.execute(
        "INSERT INTO cases (case_id, reopened_on) VALUES ($1, $2)"
        " ON CONFLICT (case_id) DO UPDATE SET reopened_on ="
        " GREATEST(cases.reopened_on, EXCLUDED.reopened_on)",
        case_id,
        reopened_on,
    )


async def consent_recorded(conn: asyncpg.Connection, event: ConsentRecorded) -> None:
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


async def consent_withdrawn(
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


async def opened_case(conn: asyncpg.Connection, case_id: UUID) -> IntakeCase | None:
    """The case, once its opening has been seen (None before: no lead to speak of)."""
    row = await conn.fetchrow(
        "SELECT case_id, lead_agency_id, closed_on, reopened_on, opened_on FROM cases"
        " WHERE case_id = $1 AND lead_agency_id IS NOT NULL",
        case_id,
    )
    if row is None:
        return None
    return IntakeCase(
        case_id=row["case_id"],
        lead_agency_id=row["lead_agency_id"],
        closed_on=closed_on_of(row["closed_on"], row["reopened_on"]),
        opened_on=row["opened_on"],
    )


async def lead_agencies(conn: asyncpg.Connection, case_ids: list[UUID]) -> dict[UUID, str]:
    rows = await conn.fetch(
        "SELECT case_id, lead_agency_id FROM cases WHERE case_id = ANY($1)"
        " AND lead_agency_id IS NOT NULL",
        case_ids,
    )
    return {r["case_id"]: r["lead_agency_id"] for r in rows}


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


_CONSENT_COLUMNS = (
    "consent_id, case_id, scope_agencies, scope_programs, scope_meeting_types, consented_on,"
    " expires_on, withdrawn_on"
)


async def consents_of_case(conn: asyncpg.Connection, case_id: UUID) -> list[Consent]:
    rows = await conn.fetch(
        f"SELECT {_CONSENT_COLUMNS} FROM consents WHERE case_id = $1 ORDER BY consent_id", case_id
    )
    return [_to_consent(r) for r in rows]


async def consents_of_cases(
    conn: asyncpg.Connection, case_ids: list[UUID]
) -> dict[UUID, list[Consent]]:
    rows = await conn.fetch(
        f"SELECT {_CONSENT_COLUMNS} FROM consents WHERE case_id = ANY($1) ORDER BY consent_id",
        case_ids,
    )
    found: dict[UUID, list[Consent]] = {c: [] for c in case_ids}
    for row in rows:
        found[row["case_id"]].append(_to_consent(row))
    return found
