"""Audit rows of referral's use cases: every access to a referral, and every refusal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final, TypeVar
from uuid import UUID

import asyncpg

from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.errors import DomainError

T = TypeVar("T")

PURPOSE: Final = "つなぎ"


def entry(
    principal: Principal,
    record_type: str,
    record_id: UUID,
    action: str,
    outcome: str,
    legal_basis: str | None = None,
) -> AccessEntry:
    return AccessEntry.by(
        principal,
        record_type=record_type,
        record_id=str(record_id),
        action=action,
        purpose=PURPOSE,
        outcome=outcome,
        legal_basis=legal_basis,
    )


async def audited(
    pool: asyncpg.Pool,
    denial: AccessEntry,
    work: Callable[[asyncpg.Connection], Awaitable[T]],
) -> T:
    """``kasane.audit.audited`` for domain refusals: run ``work`` in one transaction; if a
    rule refuses, roll it back and keep one ``denial`` row in a transaction of its own.

    The shared one catches only ``kasane.web.errors.Refused``; once it also catches
    ``kasane.errors.DomainError`` this copy goes and the shared one is called instead.
    """
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                return await work(conn)
        except DomainError:
            async with conn.transaction():
                await record_access(conn, denial)
            raise
