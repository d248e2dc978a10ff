"""Contact attempts: recorded idempotently by the client-generated ``contact_id``; listed."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from kasane.auth import Principal
from kasane.web.events import EventWriter
from outreach.domain.contacts import (
    ContactIn,
    attempted,
    check_recordable,
    check_same_record,
    fingerprint,
)
from outreach.store import contacts as store
from outreach.store.contacts import Contact
from outreach.usecases.access import visible_target


@dataclass(frozen=True)
class Recorded:
    contact: Contact
    replayed: bool  # a retry of an already recorded contact: the same answer as first


async def record_contact(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    target_id: UUID,
    data: ContactIn,
) -> Recorded:
    print_ = fingerprint(target_id, data)
    async with visible_target(pool, principal, target_id, action="contact") as (conn, target):
        inserted = False
        if await store.get(conn, data.contact_id) is None:
            check_recordable(target.status)
            # ON CONFLICT: a concurrent retry of the same id loses quietly here.
            inserted = await store.insert(
                conn,
                target_id,
                data,
                worker=data.worker or principal.sub,
                fingerprint=print_,
                by=principal.sub,
            )
            if inserted:
                await events.emit(conn, attempted(target_id, data), agency_id=principal.agency)
        contact = await store.get(conn, data.contact_id)
        assert contact is not None  # inserted now, or by the first copy
        check_same_record(contact.fingerprint, print_)
        return Recorded(contact, replayed=not inserted)


async def list_contacts(pool: asyncpg.Pool, principal: Principal, target_id: UUID) -> list[Contact]:
    async with visible_target(pool, principal, target_id, action="read_contacts") as (conn, _):
        return await store.for_target(conn, target_id)
