"""見守りネットワーク concern reports: take one (ConcernReported), list them, read one (audited)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from community.domain.concerns import (
    PURPOSE,
    RECORD_TYPE,
    ConcernIn,
    concern_reported,
    legal_basis,
    may_read,
)
from community.store import concerns as store
from community.store.concerns import Concern, ConcernListed
from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.errors import NotFound
from kasane.ids import uuid7
from kasane.web.events import EventWriter


def _entry(principal: Principal, concern_id: UUID, action: str, outcome: str) -> AccessEntry:
    return AccessEntry.by(
        principal,
        record_type=RECORD_TYPE,
        record_id=str(concern_id),
        action=action,
        purpose=PURPOSE,
        outcome=outcome,
        legal_basis=legal_basis(principal.agency),
    )


async def report_concern(
    pool: asyncpg.Pool, events: EventWriter, principal: Principal, data: ConcernIn, today: date
) -> UUID:
    """Store the report (personal details stay here) and publish its codes."""
    concern_id = uuid7()
    reported_on = data.reported_on or today
    async with pool.acquire() as conn, conn.transaction():
        await store.insert(conn, concern_id, data, reported_on, principal.agency, principal.sub)
        await record_access(conn, _entry(principal, concern_id, "create", "allowed"))
        await events.emit(
            conn, concern_reported(concern_id, data, reported_on), agency_id=principal.agency
        )
    return concern_id


async def list_concerns(
    pool: asyncpg.Pool, principal: Principal, since: date | None
) -> list[ConcernListed]:
    """The caller's agency's reports, codes only: not a read of anyone's details."""
    async with pool.acquire() as conn:
        return await store.listing(conn, principal.agency, since)


async def read_concern(pool: asyncpg.Pool, principal: Principal, concern_id: UUID) -> Concern:
    """The details, for the operator or an agency whose intake queued it; anyone else gets
    the same 404 as for an unknown id (existence is not revealed), and is audited."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            concern = await store.get(conn, concern_id)
            allowed = concern is not None and may_read(
                principal.agency, concern.agency_id, await store.granted_agencies(conn, concern_id)
            )
            # Denials are recorded too: the refusal below is raised after this commits.
            await record_access(
                conn, _entry(principal, concern_id, "read", "allowed" if allowed else "denied")
            )
    if not allowed or concern is None:
        raise NotFound("concern_id", "見つかりません / not found")
    return concern
