"""SQL for the referral read model: what participation knows of referrals into it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from uuid import UUID

import asyncpg

from participation.store._sql import insert_sql


@dataclass(frozen=True)
class Grant:
    referral_id: UUID
    case_id: UUID
    from_agency_id: str
    to_agency_id: str | None
    to_program: str | None
    legal_basis: str
    status: str
    requested_on: date | None = None  # the day the referral was made (None: seen before v2)


def _grant(row: asyncpg.Record | None) -> Grant | None:
    return None if row is None else Grant(**dict(row))


async def upsert_grant(conn: asyncpg.Connection, grant: Grant) -> None:
    row = asdict(grant)
    await conn.execute(
        insert_sql("referral_grants", row) + " ON CONFLICT DO NOTHING", *row.values()
    )


async def set_grant_status(
    conn: asyncpg.Connection, referral_id: UUID, status: str
) -> Grant | None:
    return _grant(
        await conn.fetchrow(
            "UPDATE referral_grants SET status = $2 WHERE referral_id = $1 RETURNING *",
            referral_id,
            status,
        )
    )


async def get_grant(conn: asyncpg.Connection, referral_id: UUID) -> Grant | None:
    return _grant(
        await conn.fetchrow("SELECT * FROM referral_grants WHERE referral_id = $1", referral_id)
    )
