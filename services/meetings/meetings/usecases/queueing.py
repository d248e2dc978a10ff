"""Submitted plans queue themselves on the next 重層的支援会議 (plan_appropriateness).

A plan waits when there is no meeting ahead yet, or no valid consent for its case at the
next meeting; it is placed as soon as either arrives (a calendar generated, a 臨時 meeting
added, a consent recorded, or a meeting closed with the plan undecided).

Every function here runs in its caller's transaction: the inbox's for the events that
queue plans (``plan_submitted``, ``consent_recorded``), a use case's otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from kasane.errors import Conflict
from kasane.events.intake import ConsentRecorded
from kasane.events.plans import PlanSubmittedBase
from kasane.ids import uuid7
from kasane.intake_view import store as intake_store
from meetings.domain.access import plan_owner_agencies
from meetings.domain.agenda import basis_for
from meetings.domain.plans import Plan, accepts_submission
from meetings.store import agenda as agenda_store
from meetings.store import meetings as meetings_store
from meetings.store import plans as plans_store
from meetings.usecases.auditing import audit


@dataclass(frozen=True)
class Placement:
    meeting_id: UUID | None  # None: waiting
    agenda_item_id: UUID | None
    waiting_for: str | None  # "meeting" | "consent"
    reason: str | None = None


async def queue_plan(conn: asyncpg.Connection, plan: Plan, today: date) -> Placement:
    existing = await agenda_store.open_item_for_plan(conn, plan.id, "plan_appropriateness")
    if existing is not None:
        item = await agenda_store.get(conn, existing)
        assert item is not None
        return Placement(item.meeting_id, item.id, None)
    not_before = max(plan.submitted_on or today, today)
    meeting = await meetings_store.next_open_multilayer(conn, not_before, plan.id)
    if meeting is None:
        return Placement(None, None, "meeting", "予定された重層的支援会議がありません")
    consents = await intake_store.consents_of_case(conn, plan.case_id)
    try:
        basis = basis_for(meeting, consents)
    except Conflict as refused:
        return Placement(None, None, "consent", refused.reason)
    presenter = sorted(plan_owner_agencies(plan.program))[0]
    item = await agenda_store.insert(
        conn,
        uuid7(),
        meeting.id,
        plan.case_id,
        "plan_appropriateness",
        basis,
        plan.id,
        presenter,
        None,
        "plan_queue",
        "system:meetings",
    )
    await audit(
        conn,
        None,
        record_type="agenda_item",
        record_id=item.id,
        action="create",
        purpose="プランの自動付議 / plan queued for approval",
        legal_basis=basis.legal_basis,
        subject_id=plan.case_id,
    )
    return Placement(meeting.id, item.id, None)


async def place_waiting(conn: asyncpg.Connection, today: date, case_id: UUID | None = None) -> int:
    """Queue every waiting plan (of one case, or all); how many were placed."""
    placed = 0
    for plan in await plans_store.waiting(conn, case_id):
        placed += (await queue_plan(conn, plan, today)).meeting_id is not None
    return placed


async def plan_submitted(
    conn: asyncpg.Connection,
    event: PlanSubmittedBase,
    owner_ref: UUID,
    today: date,
    goal_codes: list[str] | None = None,
) -> Placement | None:
    """Another program's plan (or our own event replayed) handed in for approval: recorded
    and queued, unless it is waiting already or has ended (None)."""
    current = await plans_store.get(conn, event.plan_id, lock=True)
    if not accepts_submission(current.status if current else None):
        return None
    await plans_store.upsert_submitted(
        conn,
        event.plan_id,
        event.case_id,
        event.program,
        event.submitted_on,
        event.review_on,
        owner_ref,
        goal_codes,
    )
    plan = await plans_store.get(conn, event.plan_id)
    assert plan is not None
    return await queue_plan(conn, plan, today)


async def consent_recorded(conn: asyncpg.Connection, event: ConsentRecorded, today: date) -> int:
    """A consent (already in the read model) places the case's plans that were waiting for one."""
    return await place_waiting(conn, today, event.case_id)
