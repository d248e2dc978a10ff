"""SQL for the queue of pending consultations (見守りネットワーク concerns)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from intake.domain.models import PendingConcern
from intake.store.rows import rows_to


async def add(
    conn: asyncpg.Connection,
    *,
    concern_id: UUID,
    agency_id: str,
    school_district_code: str,
    issue_codes: list[str],
    urgency: str,
    reported_on: date,
    event_id: UUID,
) -> None:
    await conn.execute(
        "INSERT INTO pending_consultations (concern_id, agency_id, school_district_code,"
        " issue_codes, urgency, reported_on, received_event_id)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (concern_id) DO NOTHING",
        concern_id,
        agency_id,
        school_district_code,
        issue_codes,
        urgency,
        reported_on,
        event_id,
    )


async def pending(
    conn: asyncpg.Connection, agency_id: str, limit: int, offset: int
) -> list[PendingConcern]:
    return rows_to(
        PendingConcern,
        await conn.fetch(
            "SELECT * FROM pending_consultations WHERE agency_id = $1 AND status = 'pending'"
            " ORDER BY (urgency <> 'urgent'), reported_on, concern_id LIMIT $2 OFFSET $3",
            agency_id,
            limit,
            offset,
        ),
    )


async def take(
    conn: asyncpg.Connection, concern_id: UUID, agency_id: str, consultation_id: UUID
) -> bool:
    status: str = await conn.execute(
        "UPDATE pending_consultations SET status = 'taken', consultation_id = $3"
        " WHERE concern_id = $1 AND agency_id = $2 AND status = 'pending'",
        concern_id,
        agency_id,
        consultation_id,
    )
    return status == "UPDATE 1"
