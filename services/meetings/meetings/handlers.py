"""Events in (intake, outreach, participation), each through the inbox in one transaction.

- intake ConsentRecorded / ConsentWithdrawn → the consent read model (the 重層的支援会議 rule);
  a new consent also places the case's plans that were waiting for one;
- intake CaseOpened / CaseClosed / CaseEscalated (to 多機関協働) → case read model and 社協's
  list of escalated cases;
- outreach / participation PlanSubmitted → the plan queues itself on the next 重層的支援会議.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from kasane.bus.dispatch import Dispatcher
from kasane.clock import system_clock
from kasane.events.envelope import Envelope
from kasane.events.intake import (
    CaseClosed,
    CaseEscalated,
    CaseOpened,
    ConsentRecorded,
    ConsentWithdrawn,
)
from kasane.events.outreach import PlanSubmitted as OutreachPlanSubmitted
from kasane.events.participation import PlanSubmitted as ParticipationPlanSubmitted
from kasane.events.plans import PlanSubmittedBase
from meetings import queueing
from meetings.domain.plans import accepts_submission
from meetings.store import cases as cases_store
from meetings.store import consents as consents_store
from meetings.store import plans as plans_store

dispatch = Dispatcher()


@dispatch.on(ConsentRecorded)
async def consent_recorded(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsentRecorded
) -> None:
    await consents_store.recorded(conn, event)
    await queueing.place_waiting(conn, system_clock().today(), event.case_id)


@dispatch.on(ConsentWithdrawn)
async def consent_withdrawn(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsentWithdrawn
) -> None:
    # Items already on an agenda stay (the record of what was planned), but their detail is
    # hidden from members and no decision can be taken on them (see domain.access/agenda).
    await consents_store.withdrawn(conn, event.consent_id, event.case_id, event.withdrawn_on)


@dispatch.on(CaseOpened)
async def case_opened(conn: asyncpg.Connection, envelope: Envelope, event: CaseOpened) -> None:
    await cases_store.opened(conn, event.case_id, event.lead_agency_id, event.opened_on)


@dispatch.on(CaseClosed)
async def case_closed(conn: asyncpg.Connection, envelope: Envelope, event: CaseClosed) -> None:
    await cases_store.closed(conn, event.case_id, event.closed_on)


@dispatch.on(CaseEscalated)
async def case_escalated(
    conn: asyncpg.Connection, envelope: Envelope, event: CaseEscalated
) -> None:
    if event.program == "multiagency":
        await cases_store.escalated(conn, envelope.event_id, event)


async def _plan_submitted(
    conn: asyncpg.Connection, event: PlanSubmittedBase, owner_ref: UUID
) -> None:
    current = await plans_store.get(conn, event.plan_id, lock=True)
    if not accepts_submission(current.status if current else None):
        return  # already waiting for a meeting, or ended: nothing to queue
    await plans_store.upsert_submitted(
        conn,
        event.plan_id,
        event.case_id,
        event.program,
        event.submitted_on,
        event.review_on,
        owner_ref,
    )
    plan = await plans_store.get(conn, event.plan_id)
    assert plan is not None
    await queueing.queue_plan(conn, plan, system_clock().today())


@dispatch.on(OutreachPlanSubmitted)
async def outreach_plan_submitted(
    conn: asyncpg.Connection, envelope: Envelope, event: OutreachPlanSubmitted
) -> None:
    await _plan_submitted(conn, event, event.target_id)


@dispatch.on(ParticipationPlanSubmitted)
async def participation_plan_submitted(
    conn: asyncpg.Connection, envelope: Envelope, event: ParticipationPlanSubmitted
) -> None:
    await _plan_submitted(conn, event, event.participant_id)
