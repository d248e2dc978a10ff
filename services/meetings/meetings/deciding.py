"""Recording one decision: checks, state changes, audit and events in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from kasane.auth import Principal
from kasane.errors import NotFound
from kasane.ids import uuid7
from kasane.web.events import EventWriter
from meetings.auditing import audit
from meetings.domain.access import item_hidden_reason
from meetings.domain.agenda import check_consent_still_valid
from meetings.domain.decisions import (
    DecisionIn,
    check_decision,
    decided_roles,
    decision_events,
    plan_change,
)
from meetings.domain.meeting import Meeting, check_open_for_decisions
from meetings.settings import get_meetings_settings
from meetings.store import agenda as agenda_store
from meetings.store import cases as cases_store
from meetings.store import consents as consents_store
from meetings.store import decisions as decisions_store
from meetings.store import gaps as gaps_store
from meetings.store import meetings as meetings_store
from meetings.store import members as members_store
from meetings.store import plans as plans_store


@dataclass(frozen=True)
class Decided:
    decision_id: UUID
    agenda_item_id: UUID
    outcome: str
    decided_on: date
    plan_id: UUID | None
    plan_status: str | None
    roles_assigned: list[str]
    gap_ids: list[UUID]
    events: list[str]


async def locked_meeting(conn: asyncpg.Connection, meeting_id: UUID) -> Meeting:
    meeting = await meetings_store.get(conn, meeting_id, lock=True)
    if meeting is None:
        raise NotFound("meeting_id", "会議が見つかりません / meeting not found")
    return meeting


async def decide(
    conn: asyncpg.Connection,
    events: EventWriter,
    principal: Principal,
    meeting_id: UUID,
    body: DecisionIn,
    today: date,
) -> Decided:
    # Lock order plan → meeting, as in the PlanSubmitted handler (no deadlock between them).
    item = await agenda_store.get(conn, body.agenda_item_id)
    plan_id = item.plan_id if item else None
    plan = await plans_store.get(conn, plan_id, lock=True) if plan_id else None
    meeting = await locked_meeting(conn, meeting_id)
    check_open_for_decisions(meeting, today)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound(
            "agenda_item_id",
            "この会議の議題にありません / the item is not on this meeting's agenda",
        )
    check_decision(meeting, item, plan, body)
    consents = await consents_store.for_case(conn, item.case_id)
    check_consent_still_valid(meeting, item, consents)

    members = await members_store.of_meeting(conn, meeting.id)
    lead = (await cases_store.lead_agencies(conn, [item.case_id])).get(item.case_id)
    # The decision shares the case as of the meeting day (also when minuted later).
    day = meeting.meeting_date
    sharing_with = sorted(
        agency
        for agency, member in members.items()
        if item_hidden_reason(meeting, agency, member, item, consents, lead, day) is None
    )
    roles = decided_roles(body, plan)
    decision_id, gap_ids = uuid7(), [uuid7() for _ in body.gaps]

    await decisions_store.insert(conn, decision_id, meeting.id, body, roles, day, principal.sub)
    plan_status = None
    if plan is not None:
        change = plan_change(meeting, plan, body)
        if change is not None:
            await plans_store.apply_change(conn, plan.id, change)
            plan_status = change.status
        if roles and body.outcome in ("approve", "continue"):
            await plans_store.assign_roles(conn, plan.id, decision_id, meeting.id, day, roles)
    for gap_id, gap in zip(gap_ids, body.gaps, strict=True):
        await gaps_store.insert(conn, gap_id, meeting.id, item.id, gap, day, meeting.fiscal_year)
    await audit(
        conn,
        principal,
        record_type="decision",
        record_id=decision_id,
        action="create",
        purpose=f"会議での決定 / meeting decision ({body.outcome})",
        legal_basis=item.legal_basis,
        subject_id=item.case_id,
    )
    contracts = decision_events(
        meeting=meeting,
        item=item,
        plan=plan,
        body=body,
        decision_id=decision_id,
        roles=roles if body.outcome in ("approve", "continue") else [],
        member_agency_ids=sharing_with,
        gap_ids=gap_ids,
        sharing_days=get_meetings_settings().sharing_days,
    )
    for contract in contracts:
        await events.emit(conn, contract, agency_id=principal.agency)
    return Decided(
        decision_id=decision_id,
        agenda_item_id=item.id,
        outcome=body.outcome,
        decided_on=day,
        plan_id=plan.id if plan else None,
        plan_status=plan_status,
        roles_assigned=[r.agency_id for r in roles]
        if body.outcome in ("approve", "continue")
        else [],
        gap_ids=gap_ids,
        events=[c.event_type for c in contracts],
    )
