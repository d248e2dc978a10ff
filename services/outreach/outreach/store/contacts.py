"""contacts SQL."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time
from uuid import UUID

import asyncpg

from outreach.domain.contacts import ContactIn


@dataclass(frozen=True)
class Contact:
    """A recorded contact attempt; ``fingerprint`` tells a retry from another record."""

    contact_id: UUID
    target_id: UUID
    method: str
    result: str
    attempted_on: date
    note: str | None
    worker: str
    fingerprint: str
    recorded_by: str
    recorded_at: datetime
    attempted_time: time | None
    place: str | None
    duration_minutes: int | None


_COLUMNS = ", ".join(f.name for f in fields(Contact))


async def insert(
    conn: asyncpg.Connection,
    target_id: UUID,
    data: ContactIn,
    *,
    worker: str,
    fingerprint: str,
    by: str,
) -> bool:
    """False if the contact id exists already (a retry, or a clash)."""
    status: str = await conn.execute(
        "INSERT INTO contacts (contact_id, target_id, method, result, attempted_on, note,"
        " worker, fingerprint, recorded_by, attempted_time, place, duration_minutes)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        " ON CONFLICT (contact_id) DO NOTHING",
        data.contact_id,
        target_id,
        data.method,
        data.result,
        data.attempted_on,
        data.note,
        worker,
        fingerprint,
        by,
        data.attempted_time,
        data.place,
        data.duration_minutes,
    )
    return status.endswith(" 1")


async def get(conn: asyncpg.Connection, contact_id: UUID) -> Contact | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM contacts WHERE contact_id = $1", contact_id)
    return None if row is None else Contact(**dict(row))


async def for_target(conn: asyncpg.Connection, target_id: UUID) -> list[Contact]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM contacts WHERE target_id = $1 ORDER BY attempted_on, recorded_at",
        target_id,
    )
    return [Contact(**dict(r)) for r in rows]
