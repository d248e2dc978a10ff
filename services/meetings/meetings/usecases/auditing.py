"""Access audit for meetings: every read or change of case detail, denials included."""

from __future__ import annotations

from typing import NoReturn, TypeVar

import asyncpg

from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.errors import DomainError
from meetings.domain.codes import COORDINATOR_AGENCY

T = TypeVar("T")

# Event handlers act for the operator, with no staff member behind them.
SYSTEM_ACTOR = "system:meetings"


async def audit(
    conn: asyncpg.Connection,
    who: Principal | None,
    *,
    record_type: str,
    record_id: object,
    action: str,
    purpose: str,
    outcome: str = "allowed",
    legal_basis: str | None = None,
    subject_id: object | None = None,
) -> None:
    """One hash-chained row; ``subject_id`` is the case (meetings holds no person ids)."""
    await record_access(
        conn,
        AccessEntry(
            actor_sub=who.sub if who else SYSTEM_ACTOR,
            actor_agency=who.agency if who else COORDINATOR_AGENCY,
            record_type=record_type,
            record_id=str(record_id),
            action=action,
            purpose=purpose,
            outcome=outcome,
            legal_basis=legal_basis,
            subject_id=str(subject_id) if subject_id is not None else None,
        ),
    )


async def refuse_audited(
    pool: asyncpg.Pool,
    who: Principal,
    refused: DomainError,
    *,
    record_type: str,
    record_id: object,
    action: str,
    purpose: str,
    subject_id: object | None = None,
) -> NoReturn:
    """Record the denial in its own transaction (the refused one wrote nothing), then refuse."""
    async with pool.acquire() as conn, conn.transaction():
        await audit(
            conn,
            who,
            record_type=record_type,
            record_id=record_id,
            action=action,
            purpose=purpose,
            outcome="denied",
            subject_id=subject_id,
        )
    raise refused
