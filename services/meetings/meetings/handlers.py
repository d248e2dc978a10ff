"""Events in (intake, outreach, participation), each through the inbox in one transaction.

- intake CaseOpened / CaseClosed / CaseReopened / ConsentRecorded / ConsentWithdrawn → the
  shared case and consent read model (``kasane.intake_view``; the 重層的支援会議 rule reads
  it); a new consent also places the case's plans that were waiting for one;
- intake CaseEscalated (to 多機関協働) → 社協's list of escalated cases (straight to the store);
- intake ConsultationReceived (on a case) / CaseClassified → 世帯概要 read model
  (年代, 校区, issue codes, household flags and size band) shown on agenda items;
- outreach / participation PlanSubmitted → the plan queues itself on the next 重層的支援会議.
"""

from __future__ import annotations

import asyncpg

from kasane.bus.dispatch import Dispatcher
from kasane.clock import system_clock
from kasane.events.envelope import Envelope
from kasane.events.intake import (
    CaseClassified,
    CaseEscalated,
    ConsentRecorded,
    ConsultationReceived,
)
from kasane.events.outreach import PlanSubmitted as OutreachPlanSubmitted
from kasane.events.participation import PlanSubmitted as ParticipationPlanSubmitted
from kasane.intake_view import handlers as intake_view
from meetings.store import escalations as escalations_store
from meetings.store import profiles as profiles_store
from meetings.usecases import queueing

dispatch = Dispatcher()


async def _place_waiting_plans(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsentRecorded
) -> None:
    await queueing.consent_recorded(conn, event, system_clock().today())


# Intake's cases and consents: the shared read model. A withdrawal needs nothing more: items
# already on an agenda stay (the record of what was planned), but their detail is hidden from
# members and no decision can be taken on them (see domain.access/agenda).
intake_view.subscribe(dispatch, after={ConsentRecorded: _place_waiting_plans})


@dispatch.on(CaseEscalated)
async def case_escalated(
    conn: asyncpg.Connection, envelope: Envelope, event: CaseEscalated
) -> None:
    if event.program == "multiagency":
        await escalations_store.escalated(conn, envelope.event_id, event)


@dispatch.on(ConsultationReceived)
async def consultation_received(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsultationReceived
) -> None:
    if event.case_id is not None:  # one without a case is on no agenda
        await profiles_store.consultation(conn, event)


@dispatch.on(CaseClassified)
async def case_classified(
    conn: asyncpg.Connection, envelope: Envelope, event: CaseClassified
) -> None:
    await profiles_store.classified(conn, event)


@dispatch.on(OutreachPlanSubmitted)
async def outreach_plan_submitted(
    conn: asyncpg.Connection, envelope: Envelope, event: OutreachPlanSubmitted
) -> None:
    await queueing.plan_submitted(conn, event, event.target_id, system_clock().today())


@dispatch.on(ParticipationPlanSubmitted)
async def participation_plan_submitted(
    conn: asyncpg.Connection, envelope: Envelope, event: ParticipationPlanSubmitted
) -> None:
    stages: list[str] | None = (
        list(event.planned_stages) if event.planned_stages is not None else None
    )
    await queueing.plan_submitted(
        conn, event, event.participant_id, system_clock().today(), goal_codes=stages
    )
