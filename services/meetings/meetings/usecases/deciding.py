"""Recording one decision: checks, state changes, audit and events in one transaction.

``decide`` is the step both use cases share: ``record_decision`` (any agenda item) and
``evaluate_plan`` (the plan_evaluation item of a plan on a given meeting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from kasane.auth import Principal
from kasane.errors import Conflict, NotFound
from kasane.ids import uuid7
from kasane.intake_view import store as intake_store
from kasane.web.events import EventWriter
from meetings.domain.access import item_hidden_reason
from meetings.domain.agenda import AgendaItem, check_consent_still_valid
from meetings.domain.consent import Consent
from meetings.domain.decision_events import decision_events
from meetings.domain.decisions import (
    DecisionIn,
    EvaluationIn,
    check_decision,
    decided_roles,
    plan_change,
)
from meetings.domain.meeting import Meeting, check_open_for_decisions, meeting_not_found
from meetings.domain.plans import Plan, check_approved, plan_not_found
from meetings.domain.roles import RoleIn
from meetings.settings import get_meetings_settings
from meetings.store import agenda as agenda_store
from meetings.store import decisions as decisions_store
from meetings.store import gaps as gaps_store
from meetings.store import meetings as meetings_store
from meetings.store import members as members_store
from meetings.store import plans as plans_store
from meetings.usecases.auditing import audit

_ROLE_OUTCOMES = ("approve", "continue")


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
        raise meeting_not_found()
    return meeting


async def record_decision(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    meeting_id: UUID,
    body: DecisionIn,
    today: date,
) -> Decided:
    """One decision per item, minuted by 社協 from the meeting day until it is closed."""
    async with pool.acquire() as conn, conn.transaction():
        return await decide(conn, events, principal, meeting_id, body, today)


async def evaluate_plan(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    plan_id: UUID,
    body: EvaluationIn,
    today: date,
) -> Decided:
    """プラン終結時等の評価, at a meeting that has the plan on its agenda as plan_evaluation."""
    async with pool.acquire() as conn, conn.transaction():
        plan = await plans_store.get(conn, plan_id)
        if plan is None:
            raise plan_not_found()
        check_approved(plan)
        item_id = await agenda_store.undecided_on_meeting(
            conn, body.meeting_id, plan.id, "plan_evaluation"
        )
        if item_id is None:
            raise Conflict(
                "meeting_id",
                "この会議の議題にプランの評価がありません / the plan is not on that meeting's "
                "agenda for evaluation (add a plan_evaluation item first)",
            )
        decision = body.as_decision(item_id)
        return await decide(conn, events, principal, body.meeting_id, decision, today)


async def decide(
    conn: asyncpg.Connection,
    events: EventWriter,
    principal: Principal,
    meeting_id: UUID,
    body: DecisionIn,
    today: date,
) -> Decided:
    """The step: check everything, then write the decision, the plan's new state, gaps,
    the audit row and the events, in the caller's transaction."""
    meeting, item, plan = await _checked(conn, meeting_id, body, today)
    consents = await intake_store.consents_of_case(conn, item.case_id)
    check_consent_still_valid(meeting, item, consents)
    sharing_with = await _sharing_with(conn, meeting, item, consents)
    roles = decided_roles(body, plan)
    assigned = roles if body.outcome in _ROLE_OUTCOMES else []
    decision_id, gap_ids = uuid7(), [uuid7() for _ in body.gaps]
    day = meeting.meeting_date  # the decision is the meeting's, also when minuted later

    await decisions_store.insert(conn, decision_id, meeting.id, body, roles, day, principal.sub)
    plan_status = await _change_plan(conn, meeting, plan, body, decision_id, assigned)
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
        roles=assigned,
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
        roles_assigned=[r.agency_id for r in assigned],
        gap_ids=gap_ids,
        events=[c.event_type for c in contracts],
    )


async def _checked(
    conn: asyncpg.Connection, meeting_id: UUID, body: DecisionIn, today: date
) -> tuple[Meeting, AgendaItem, Plan | None]:
    """Load (and lock) what the decision touches and apply every refusing rule."""
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
    return meeting, item, plan


async def _sharing_with(
    conn: asyncpg.Connection, meeting: Meeting, item: AgendaItem, consents: list[Consent]
) -> list[str]:
    """The members the decision shares the case with, as of the meeting day."""
    members = await members_store.of_meeting(conn, meeting.id)
    lead = (await intake_store.lead_agencies(conn, [item.case_id])).get(item.case_id)
    day = meeting.meeting_date
    return sorted(
        agency
        for agency, member in members.items()
        if item_hidden_reason(meeting, agency, member, item, consents, lead, day) is None
    )


async def _change_plan(
    conn: asyncpg.Connection,
    meeting: Meeting,
    plan: Plan | None,
    body: DecisionIn,
    decision_id: UUID,
    roles: list[RoleIn],
) -> str | None:
    """The plan's new state and roles; its new status, or None if unchanged."""
    if plan is None:
        return None
    plan_status = None
    change = plan_change(meeting, plan, body)
    if change is not None:
        await plans_store.apply_change(conn, plan.id, change)
        plan_status = change.status
    if roles:
        day = meeting.meeting_date
        await plans_store.assign_roles(conn, plan.id, decision_id, meeting.id, day, roles)
    return plan_status
