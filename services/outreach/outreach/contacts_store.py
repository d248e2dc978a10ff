"""contacts SQL."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from outreach.contacts import ContactIn


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
        " worker, fingerprint, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
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
    )
    return status.endswith(" 1")


async def get(conn: asyncpg.Connection, contact_id: UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM contacts WHERE contact_id = $1", contact_id
    )
    return row


async def for_target(conn: asyncpg.Connection, target_id: UUID) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT * FROM contacts WHERE target_id = $1 ORDER BY attempted_on, recorded_at",
            target_id,
        )
    )
