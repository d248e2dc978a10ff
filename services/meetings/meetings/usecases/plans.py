"""多機関協働 プラン (written by 社協) and any program's plan as meetings knows it.

Writing, revising and submitting are 社協's; reading follows ``domain.access``: anyone the
plan is not shown to gets 404 (its existence is not revealed), and the refusal is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from kasane.auth import Principal
from kasane.events.meetings import PlanSubmitted
from kasane.ids import uuid7
from kasane.intake_view import store as intake_store
from kasane.web.events import EventWriter
from meetings.domain.access import item_hidden_reason, plan_access_basis
from meetings.domain.plans import (
    Plan,
    PlanContent,
    PlanIn,
    check_content_date,
    check_revisable,
    check_submittable,
    plan_not_found,
)
from meetings.store import agenda as agenda_store
from meetings.store import decisions as decisions_store
from meetings.store import meetings as meetings_store
from meetings.store import members as members_store
from meetings.store import plans as plans_store
from meetings.store.decisions import PlanDecision
from meetings.store.plans import ActiveRole, PlanDates, PlanListed
from meetings.usecases import queueing
from meetings.usecases.auditing import audit, refuse_audited
from meetings.usecases.queueing import Placement


@dataclass(frozen=True)
class PlanState:
    plan_id: UUID
    case_id: UUID
    status: str
    placed: Placement | None  # where a submitted plan was queued (or why it waits)


@dataclass(frozen=True)
class PlanRead:
    plan: Plan
    access_basis: str  # operator | owner | plan_role | consent
    dates: PlanDates
    roles: list[ActiveRole]
    decisions: list[PlanDecision]
    queued_meeting_id: UUID | None


async def create_plan(
    pool: asyncpg.Pool, events: EventWriter, principal: Principal, body: PlanIn, today: date
) -> PlanState:
    """A 多機関協働 plan; submitted (and queued) unless ``submit`` is false."""
    check_content_date(body, today)
    plan_id = uuid7()
    state = "submitted" if body.submit else "draft"
    async with pool.acquire() as conn, conn.transaction():
        await plans_store.insert_multiagency(
            conn, plan_id, body.case_id, body, state, today if body.submit else None, principal.sub
        )
        await _audit_change(conn, principal, plan_id, body.case_id, "create")
        placed = await _submitted(conn, events, principal, plan_id, today) if body.submit else None
    return PlanState(plan_id, body.case_id, state, placed)


async def revise_plan(
    pool: asyncpg.Pool, principal: Principal, plan_id: UUID, body: PlanContent, today: date
) -> PlanState:
    """Revise a draft or a returned plan (then submit it again)."""
    check_content_date(body, today)
    async with pool.acquire() as conn, conn.transaction():
        plan = await _locked(conn, plan_id)
        check_revisable(plan)
        await plans_store.revise(conn, plan.id, body, principal.sub)
        await _audit_change(conn, principal, plan.id, plan.case_id, "update")
    return PlanState(plan.id, plan.case_id, plan.status, None)


async def submit_plan(
    pool: asyncpg.Pool, events: EventWriter, principal: Principal, plan_id: UUID, today: date
) -> PlanState:
    async with pool.acquire() as conn, conn.transaction():
        plan = await _locked(conn, plan_id)
        check_submittable(plan, today)
        await plans_store.submit(conn, plan.id, today)
        await _audit_change(conn, principal, plan.id, plan.case_id, "submit")
        placed = await _submitted(conn, events, principal, plan.id, today)
    return PlanState(plan.id, plan.case_id, "submitted", placed)


async def list_plans(pool: asyncpg.Pool, status: str | None) -> list[PlanListed]:
    """社協's plan list (ids, programs, dates: no plan content)."""
    async with pool.acquire() as conn:
        return await plans_store.listed(conn, status)


async def read_plan(
    pool: asyncpg.Pool, principal: Principal, plan_id: UUID, today: date
) -> PlanRead:
    """Seen by 社協, the owning program, agencies with a role, and members of a
    重層的支援会議 discussing it; anyone else gets 404, audited as a denied read."""
    async with pool.acquire() as conn, conn.transaction():
        plan = await plans_store.get(conn, plan_id)
        if plan is not None:
            found = await _readable(conn, principal, plan, today)
            if found is not None:
                return found
    await refuse_audited(
        pool,
        principal,
        plan_not_found(),
        record_type="plan",
        record_id=plan_id,
        action="read",
        purpose=_READ_PURPOSE,
        subject_id=plan.case_id if plan else None,
    )


_READ_PURPOSE = "プランの閲覧 / plan read"
_CHANGE_PURPOSES = {
    "create": "多機関協働プランの作成 / multi-agency plan written",
    "update": "多機関協働プランの修正 / multi-agency plan revised",
    "submit": "多機関協働プランの提出 / multi-agency plan submitted",
}


async def _readable(
    conn: asyncpg.Connection, principal: Principal, plan: Plan, today: date
) -> PlanRead | None:
    roles = await plans_store.active_roles(conn, plan.id)
    basis = plan_access_basis(
        principal.agency,
        plan,
        [r.agency_id for r in roles],
        await _agenda_visible(conn, principal.agency, plan, today),
    )
    if basis is None:
        return None
    await audit(
        conn,
        principal,
        record_type="plan",
        record_id=plan.id,
        action="read",
        purpose=_READ_PURPOSE,
        legal_basis=basis,
        subject_id=plan.case_id,
    )
    dates = await plans_store.dates(conn, plan.id)
    assert dates is not None
    queued = await agenda_store.open_item_for_plan(conn, plan.id, "plan_appropriateness")
    queued_item = await agenda_store.get(conn, queued) if queued else None
    return PlanRead(
        plan=plan,
        access_basis=basis,
        dates=dates,
        roles=roles,
        decisions=await decisions_store.of_plan(conn, plan.id),
        queued_meeting_id=queued_item.meeting_id if queued_item else None,
    )


async def _agenda_visible(conn: asyncpg.Connection, agency: str, plan: Plan, today: date) -> bool:
    """Whether ``agency`` sees the plan's item on some 重層的支援会議 it is a member of."""
    consents = await intake_store.consents_of_case(conn, plan.case_id)
    lead = (await intake_store.lead_agencies(conn, [plan.case_id])).get(plan.case_id)
    for item in await agenda_store.multilayer_items_of_plan(conn, plan.id):
        meeting = await meetings_store.get(conn, item.meeting_id)
        assert meeting is not None
        members = await members_store.of_meeting(conn, meeting.id)
        if agency not in members:
            continue
        member = members[agency]
        if item_hidden_reason(meeting, agency, member, item, consents, lead, today) is None:
            return True
    return False


async def _locked(conn: asyncpg.Connection, plan_id: UUID) -> Plan:
    plan = await plans_store.get(conn, plan_id, lock=True)
    if plan is None:
        raise plan_not_found()
    return plan


async def _audit_change(
    conn: asyncpg.Connection, principal: Principal, plan_id: UUID, case_id: UUID, action: str
) -> None:
    await audit(
        conn,
        principal,
        record_type="plan",
        record_id=plan_id,
        action=action,
        purpose=_CHANGE_PURPOSES[action],
        legal_basis="operator",
        subject_id=case_id,
    )


async def _submitted(
    conn: asyncpg.Connection,
    events: EventWriter,
    principal: Principal,
    plan_id: UUID,
    today: date,
) -> Placement:
    """PlanSubmitted out, and the plan onto the next 重層的支援会議."""
    plan = await plans_store.get(conn, plan_id)
    assert plan is not None
    await events.emit(
        conn,
        PlanSubmitted(
            plan_id=plan.id,
            case_id=plan.case_id,
            program="multiagency",
            submitted_on=today,
            review_on=plan.review_on,
        ),
        agency_id=principal.agency,
    )
    return await queueing.queue_plan(conn, plan, today)
