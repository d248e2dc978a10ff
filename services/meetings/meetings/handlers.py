"""Events in (intake, outreach, participation), each through the inbox in one transaction.

- intake CaseOpened / CaseClosed / ConsentRecorded / ConsentWithdrawn → the shared case and
  consent read model (``kasane.intake_view``; the 重層的支援会議 rule reads it); a new consent
  also places the case's plans that were waiting for one;
- intake CaseEscalated (to 多機関協働) → 社協's list of escalated cases (straight to the store);
- outreach / participation PlanSubmitted → the plan queues itself on the next 重層的支援会議.
"""

from __future__ import annotations

import asyncpg

from kasane.bus.dispatch import Dispatcher
from kasane.clock import system_clock
from kasane.events.envelope import Envelope
from kasane.events.intake import CaseEscalated, ConsentRecorded
from kasane.events.outreach import PlanSubmitted as OutreachPlanSubmitted
from kasane.events.participation import PlanSubmitted as ParticipationPlanSubmitted
from kasane.intake_view import handlers as intake_view
from meetings.store import escalations as escalations_store
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


@dispatch.on(OutreachPlanSubmitted)
async def outreach_plan_submitted(
    conn: asyncpg.Connection, envelope: Envelope, event: OutreachPlanSubmitted
) -> None:
    await queueing.plan_submitted(conn, event, event.target_id, system_clock().today())


@dispatch.on(ParticipationPlanSubmitted)
async def participation_plan_submitted(
    conn: asyncpg.Connection, envelope: Envelope, event: ParticipationPlanSubmitted
) -> None:
    await queueing.plan_submitted(conn, event, event.participant_id, system_clock().today())
