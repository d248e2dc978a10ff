"""Contact attempts: POST (idempotent by client-generated id), list (audited)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from kasane.auth.roles import OperatorStaff
from kasane.web.idempotency import mark_replayed
from outreach.api.deps import Events, Pool
from outreach.api.schemas import ContactOut
from outreach.domain.contacts import ContactIn
from outreach.usecases import contacts as usecases

router = APIRouter(tags=["接触 contacts"])


@router.post("/targets/{target_id}/contacts", status_code=status.HTTP_201_CREATED)
async def record_contact(
    target_id: UUID,
    body: ContactIn,
    principal: OperatorStaff,
    pool: Pool,
    events: Events,
    response: Response,
) -> ContactOut:
    recorded = await usecases.record_contact(pool, events, principal, target_id, body)
    if recorded.replayed:  # same answer as the first time, marked as a replay
        mark_replayed(response)
    return ContactOut.of(recorded.contact)


@router.get("/targets/{target_id}/contacts")
async def list_contacts(target_id: UUID, principal: OperatorStaff, pool: Pool) -> list[ContactOut]:
    return [ContactOut.of(c) for c in await usecases.list_contacts(pool, principal, target_id)]
