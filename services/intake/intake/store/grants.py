"""SQL for access grants learned from other services' events."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from intake.domain.access import Grant


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
) -> None:
    await conn.execute(
        "INSERT INTO access_grants (case_id, agency_id, source, source_id, legal_basis,"
        " consent_id, granted_at, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)"
        " ON CONFLICT (case_id, agency_id, source, source_id) DO NOTHING",
        case_id,
        agency_id,
        source,
        source_id,
        legal_basis,
        consent_id,
        at,
        event_id,
    )


async def revoke(conn: asyncpg.Connection, source: str, source_id: UUID, at: datetime) -> None:
    await conn.execute(
        "UPDATE access_grants SET revoked_at = $3"
        " WHERE source = $1 AND source_id = $2 AND revoked_at IS NULL",
        source,
        source_id,
        at,
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
        )
        for r in rows
    ]


async def revoke_others(
    conn: asyncpg.Connection, source: str, source_id: UUID, keep: list[str], at: datetime
) -> None:
    """Revoke the source's live grants held by agencies not in ``keep``."""
    await conn.execute(
        "UPDATE access_grants SET revoked_at = $4 WHERE source = $1 AND source_id = $2"
        " AND revoked_at IS NULL AND NOT (agency_id = ANY($3))",
        source,
        source_id,
        keep,
        at,
    )
