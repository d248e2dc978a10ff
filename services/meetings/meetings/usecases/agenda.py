"""議題: putting a case on a meeting under its legal basis."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from kasane.audit import AccessEntry, audited
from kasane.auth import Principal
from kasane.errors import Conflict
from kasane.ids import uuid7
from kasane.intake_view import store as intake_store
from meetings.domain.access import is_coordinator, pack_denial
from meetings.domain.agenda import (
    AgendaItem,
    AgendaItemIn,
    basis_for,
    check_kind,
    check_plan,
    presenter_for,
)
from meetings.domain.meeting import check_open_for_agenda
from meetings.store import agenda as agenda_store
from meetings.store import members as members_store
from meetings.store import plans as plans_store
from meetings.usecases.auditing import audit
from meetings.usecases.deciding import locked_meeting

_PURPOSE = "会議への議題登録 / case put on a meeting agenda"


async def add_agenda_item(
    pool: asyncpg.Pool, principal: Principal, meeting_id: UUID, body: AgendaItemIn
) -> AgendaItem:
    """A 重層的支援会議 item needs a valid 本人同意 covering the case (409 ``consent``
    otherwise); a 支援会議 item is shared under 社会福祉法106条の6 without consent.
    A refusal writes nothing but its access-audit row."""

    async def work(conn: asyncpg.Connection) -> AgendaItem:
        return await _add(conn, principal, meeting_id, body)

    denial = AccessEntry.by(
        principal,
        record_type="agenda_item",
        record_id=str(meeting_id),
        action="create",
        purpose=_PURPOSE,
        outcome="denied",
        subject_id=str(body.case_id),
    )
    return await audited(pool, denial, work)


async def _add(
    conn: asyncpg.Connection, principal: Principal, meeting_id: UUID, body: AgendaItemIn
) -> AgendaItem:
    meeting = await locked_meeting(conn, meeting_id)
    members = await members_store.of_meeting(conn, meeting.id)
    denied = pack_denial(meeting, principal.agency, members.get(principal.agency))
    if denied is not None:
        raise denied
    presenter = presenter_for(
        body.presenting_agency_id, principal.agency, is_coordinator(principal.agency)
    )
    check_open_for_agenda(meeting)
    check_kind(meeting, body.kind)
    plan = await plans_store.get(conn, body.plan_id) if body.plan_id else None
    check_plan(body.kind, body.case_id, plan, body.plan_id)
    if body.plan_id and await agenda_store.open_item_for_plan(conn, body.plan_id, body.kind):
        raise Conflict("plan_id", "このプランは既に議題に上がっています / already on an agenda")
    if await agenda_store.exists(conn, meeting.id, body.case_id, body.kind, body.plan_id):
        raise Conflict("case_id", "同じ議題が既にあります / already on this agenda")
    basis = basis_for(meeting, await intake_store.consents_of_case(conn, body.case_id))
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
