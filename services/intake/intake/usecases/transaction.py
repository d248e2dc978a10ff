"""One use case, one transaction: what commits together, and how a denial survives.

:func:`unit_of_work` runs a use case in one transaction. An access the guard
(``usecases.access``) refuses raises :class:`Denied`: the transaction rolls back, the
denial row is written in a transaction of its own (a refused attempt is audited even though
nothing else happened), and the caller gets the refusal (``kasane.errors``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

import asyncpg

from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.errors import DomainError, NotFound

NOT_FOUND = "見つかりません / not found"


class Denied(Exception):
    """A refused access: ``entry`` is written as the denial and the caller gets
    ``refusal`` (NotFound unless the caller may know the record exists)."""

    def __init__(self, entry: AccessEntry, refusal: DomainError) -> None:
        super().__init__(refusal.field)
        self.entry, self.refusal = entry, refusal


def not_found(entry: AccessEntry, field: str) -> Denied:
    return Denied(entry, NotFound(field, NOT_FOUND))


@asynccontextmanager
async def unit_of_work(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                yield conn
        except Denied as denied:
            async with conn.transaction():
                await record_access(conn, denied.entry)
            raise denied.refusal from None


def created_entry(
    principal: Principal,
    *,
    record_type: str,
    record_id: UUID,
    subject_id: UUID,
    purpose: str,
) -> AccessEntry:
    """The creator's access to what it has just registered: its own (basis ``owner``)."""
    return AccessEntry.by(
        principal,
        record_type=record_type,
        record_id=str(record_id),
        subject_id=str(subject_id),
        action="create",
        purpose=purpose,
        outcome="allowed",
        legal_basis="owner",
    )


async def record_created(
    conn: asyncpg.Connection,
    principal: Principal,
    *,
    record_type: str,
    record_id: UUID,
    subject_id: UUID,
    purpose: str,
) -> None:
    """:func:`created_entry`, written in the caller's transaction."""
    await record_access(
        conn,
        created_entry(
            principal,
            record_type=record_type,
            record_id=record_id,
            subject_id=subject_id,
            purpose=purpose,
        ),
    )
