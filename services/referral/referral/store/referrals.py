"""referral's SQL for referrals themselves; every read returns ``Referral`` values."""

from __future__ import annotations

from dataclasses import astuple, fields
from datetime import date, datetime
from typing import Final
from uuid import UUID

import asyncpg

from referral.domain.referrals import Referral

# The table's columns are the dataclass's fields, in order.
_COLUMNS: Final = tuple(f.name for f in fields(Referral))


def _referral(row: asyncpg.Record) -> Referral:
    return Referral(**{**dict(row), "reason_codes": tuple(row["reason_codes"])})


async def accepted_receivers(conn: asyncpg.Connection, case_id: UUID) -> set[str]:
    rows = await conn.fetch(
        "SELECT receiver_agency_id FROM referrals WHERE case_id = $1 AND status = 'accepted'",
        case_id,
    )
    return {r["receiver_agency_id"] for r in rows}


async def insert_referral(conn: asyncpg.Connection, referral: Referral) -> None:
    values = [list(v) if isinstance(v, tuple) else v for v in astuple(referral)]
    await conn.execute(
        f"INSERT INTO referrals ({', '.join(_COLUMNS)})"
        f" VALUES ({', '.join(f'${i}' for i in range(1, len(_COLUMNS) + 1))})",
        *values,
    )


async def get_referral(
    conn: asyncpg.Connection, referral_id: UUID, *, for_update: bool = False
) -> Referral | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(
        f"SELECT {', '.join(_COLUMNS)} FROM referrals WHERE referral_id = $1{lock}", referral_id
    )
    return None if row is None else _referral(row)


async def accept(conn: asyncpg.Connection, referral_id: UUID, at: datetime, on: date) -> None:
    await conn.execute(
        "UPDATE referrals SET status = 'accepted', decided_at = $2, accepted_on = $3"
        " WHERE referral_id = $1",
        referral_id,
        at,
        on,
    )


async def decline(
    conn: asyncpg.Connection, referral_id: UUID, at: datetime, reason_code: str
) -> None:
    await conn.execute(
        "UPDATE referrals SET status = 'declined', decided_at = $2, decline_reason_code = $3"
        " WHERE referral_id = $1",
        referral_id,
        at,
        reason_code,
    )


async def complete(
    conn: asyncpg.Connection, referral_id: UUID, at: datetime, outcome_code: str
) -> None:
    await conn.execute(
        "UPDATE referrals SET status = 'completed', completed_at = $2, outcome_code = $3"
        " WHERE referral_id = $1",
        referral_id,
        at,
        outcome_code,
    )


async def revoke(
    conn: asyncpg.Connection, referral_id: UUID, at: datetime, reason_code: str
) -> None:
    await conn.execute(
        "UPDATE referrals SET status = 'revoked', revoked_at = $2, revoke_reason_code = $3"
        " WHERE referral_id = $1",
        referral_id,
        at,
        reason_code,
    )


async def open_referrals_on_consent(conn: asyncpg.Connection, consent_id: UUID) -> list[Referral]:
    rows = await conn.fetch(
        f"SELECT {', '.join(_COLUMNS)} FROM referrals WHERE consent_id = $1"
        " AND status IN ('requested', 'accepted') ORDER BY requested_at FOR UPDATE",
        consent_id,
    )
    return [_referral(r) for r in rows]


async def list_for_agency(
    conn: asyncpg.Connection,
    agency: str,
    *,
    direction: str | None,
    status: str | None,
    overdue_as_of: date | None,
    limit: int,
    case_id: UUID | None = None,
) -> list[Referral]:
    """Referrals the agency may see (same rule as domain can_see), newest first."""
    visible = {
        "sent": "from_agency_id = $1",
        "received": "receiver_agency_id = $1 AND status <> 'revoked'",
        None: "(from_agency_id = $1 OR owner_agency_id = $1"
        " OR (receiver_agency_id = $1 AND status <> 'revoked'))",
    }[direction]
    clauses: list[str] = [visible]
    args: list[object] = [agency]
    if status is not None:
        args.append(status)
        clauses.append(f"status = ${len(args)}")
    if overdue_as_of is not None:
        args.append(overdue_as_of)
        clauses.append(f"status = 'requested' AND due_on < ${len(args)}")
    if case_id is not None:
        args.append(case_id)
        clauses.append(f"case_id = ${len(args)}")
    args.append(limit)
    rows = await conn.fetch(
        f"SELECT {', '.join(_COLUMNS)} FROM referrals WHERE {' AND '.join(clauses)}"
        f" ORDER BY requested_at DESC LIMIT ${len(args)}",
        *args,
    )
    return [_referral(r) for r in rows]
