"""POST /meetings/{id}/agenda: put a case on a meeting under its legal basis."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel

from meetings.api.deps import CaseWorker, Pool
from meetings.domain.agenda import AgendaItemIn
from meetings.usecases.agenda import add_agenda_item as add

router = APIRouter(tags=["議題 agenda"])


class AgendaItemOut(BaseModel):
    agenda_item_id: str
    meeting_id: str
    position: int
    case_id: str
    kind: str
    legal_basis: str  # consent | support_meeting
    consent_id: str | None
    plan_id: str | None


@router.post("/meetings/{meeting_id}/agenda", status_code=status.HTTP_201_CREATED)
async def add_agenda_item(
    meeting_id: UUID, body: AgendaItemIn, principal: CaseWorker, pool: Pool
) -> AgendaItemOut:
    """A 重層的支援会議 item needs a valid 本人同意 covering the case (409 ``consent``
    otherwise); a 支援会議 item is shared under 社会福祉法106条の6 without consent.
    A refusal writes nothing but its access-audit row."""
    item = await add(pool, principal, meeting_id, body)
    return AgendaItemOut(
        agenda_item_id=str(item.id),
        meeting_id=str(item.meeting_id),
        position=item.position,
        case_id=str(item.case_id),
        kind=item.kind,
        legal_basis=item.legal_basis,
        consent_id=str(item.consent_id) if item.consent_id else None,
        plan_id=str(item.plan_id) if item.plan_id else None,
    )
