"""Contact attempts: POST (idempotent by client-generated id), list (audited)."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel

from kasane.types import IsoDate, IsoDatetime
from kasane.web.errors import Refused
from kasane.web.events import EventWriter
from kasane.web.idempotency import mark_replayed
from outreach import contacts_store as store
from outreach.access import Worker
from outreach.contacts import ContactIn, attempted, fingerprint
from outreach.visibility import not_found, visible_target

router = APIRouter(tags=["接触 contacts"])


class ContactOut(BaseModel):
    contact_id: str
    target_id: str
    method: str
    result: str
    attempted_on: IsoDate
    note: str | None
    worker: str
    recorded_at: IsoDatetime


def _out(row: asyncpg.Record) -> ContactOut:
    return ContactOut(
        contact_id=str(row["contact_id"]),
        target_id=str(row["target_id"]),
        method=row["method"],
        result=row["result"],
        attempted_on=row["attempted_on"],
        note=row["note"],
        worker=row["worker"],
        recorded_at=row["recorded_at"],
    )


@router.post("/targets/{target_id}/contacts", status_code=status.HTTP_201_CREATED)
async def record_contact(
    target_id: UUID, body: ContactIn, principal: Worker, request: Request, response: Response
) -> ContactOut:
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    print_ = fingerprint(target_id, body)
    async with pool.acquire() as conn:
        async with conn.transaction():
            target = await visible_target(conn, principal, target_id, action="contact")
            if target is not None:
                inserted = False
                if await store.get(conn, body.contact_id) is None:
                    if target["status"] != "open":
                        raise Refused(409, "status", "終了した対象です / the outreach has ended")
                    # ON CONFLICT: a concurrent retry of the same id loses quietly here.
                    inserted = await store.insert(
                        conn,
                        target_id,
                        body,
                        worker=body.worker or principal.sub,
                        fingerprint=print_,
                        by=principal.sub,
                    )
                    if inserted:
                        await events.emit(
                            conn, attempted(target_id, body), agency_id=principal.agency
                        )
                row = await store.get(conn, body.contact_id)
                assert row is not None
                if row["fingerprint"] != print_:
                    raise Refused(
                        409,
                        "contact_id",
                        "この接触IDは別の内容で記録済みです"
                        " / this contact_id was recorded with different content",
                    )
                if not inserted:  # same answer as the first time, marked as a replay
                    mark_replayed(response)
        if target is None:
            raise not_found(target_id)
    return _out(row)


@router.get("/targets/{target_id}/contacts")
async def list_contacts(target_id: UUID, principal: Worker, request: Request) -> list[ContactOut]:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        async with conn.transaction():
            target = await visible_target(conn, principal, target_id, action="read_contacts")
            rows = [] if target is None else await store.for_target(conn, target_id)
        if target is None:
            raise not_found(target_id)
    return [_out(r) for r in rows]
