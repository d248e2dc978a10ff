"""POST /meetings/{id}/agenda: put a case on a meeting under its legal basis."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from fastapi import APIRouter, status
from pydantic import BaseModel

from kasane.audit import AccessEntry
from kasane.errors import Conflict, Invalid
from kasane.ids import uuid7
from meetings.api.deps import CaseWorker, Pool
from meetings.auditing import audit, audited
from meetings.deciding import locked_meeting
from meetings.domain.access import is_coordinator, pack_denial
from meetings.domain.agenda import AgendaItem, AgendaItemIn, basis_for, check_kind, check_plan
from meetings.domain.meeting import check_open_for_agenda
from meetings.store import agenda as agenda_store
from meetings.store import consents as consents_store
from meetings.store import members as members_store
from meetings.store import plans as plans_store

router = APIRouter(tags=["議題 agenda"])

_PURPOSE = "会議への議題登録 / case put on a meeting agenda"


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

    async def work(conn: asyncpg.Connection) -> AgendaItem:
        meeting = await locked_meeting(conn, meeting_id)
        members = await members_store.of_meeting(conn, meeting.id)
        denied = pack_denial(meeting, principal.agency, members.get(principal.agency))
        if denied is not None:
            raise denied
        presenter = body.presenting_agency_id or principal.agency
        if presenter != principal.agency and not is_coordinator(principal.agency):
            raise Invalid(
                "presenting_agency_id", "報告機関は自機関 / you present for your own agency"
            )
        check_open_for_agenda(meeting)
        check_kind(meeting, body.kind)
        plan = await plans_store.get(conn, body.plan_id) if body.plan_id else None
        check_plan(body.kind, body.case_id, plan, body.plan_id)
        if body.plan_id and await agenda_store.open_item_for_plan(conn, body.plan_id, body.kind):
            raise Conflict("plan_id", "このプランは既に議題に上がっています / already on an agenda")
        if await agenda_store.exists(conn, meeting.id, body.case_id, body.kind, body.plan_id):
            raise Conflict("case_id", "同じ議題が既にあります / already on this agenda")
        consents = await consents_store.for_case(conn, body.case_id)
        basis = basis_for(meeting, consents)
        item = await agenda_store.insert(
            conn,
            uuid7(),
            meeting.id,
            body.case_id,
            body.kind,
            basis,
            body.plan_id,
            presenter,
            body.summary,
            "manual",
            principal.sub,
        )
        await audit(
            conn,
            principal,
            record_type="agenda_item",
            record_id=item.id,
            action="create",
            purpose=_PURPOSE,
            legal_basis=basis.legal_basis,
            subject_id=body.case_id,
        )
        return item

    denial = AccessEntry.by(
        principal,
        record_type="agenda_item",
        record_id=str(meeting_id),
        action="create",
        purpose=_PURPOSE,
        outcome="denied",
        subject_id=str(body.case_id),
    )
    item = await audited(pool, denial, work)
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
