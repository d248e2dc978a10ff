"""Events in from meetings (through the inbox, one transaction per event).

meetings decides our plans at the 重層的支援会議: approved → active, returned → returned,
ended → ended. Plans of other programs (and plan ids we do not know) are ignored.
"""

from __future__ import annotations

import asyncpg

from kasane.bus.dispatch import Dispatcher
from kasane.events.envelope import Envelope
from kasane.events.meetings import PlanApproved, PlanEnded, PlanReturned
from outreach.usecases import plans

dispatch = Dispatcher()


@dispatch.on(PlanApproved)
async def plan_approved(conn: asyncpg.Connection, envelope: Envelope, event: PlanApproved) -> None:
    await plans.plan_approved(conn, event)


@dispatch.on(PlanReturned)
async def plan_returned(conn: asyncpg.Connection, envelope: Envelope, event: PlanReturned) -> None:
    await plans.plan_returned(conn, event)


@dispatch.on(PlanEnded)
async def plan_ended(conn: asyncpg.Connection, envelope: Envelope, event: PlanEnded) -> None:
    await plans.plan_ended(conn, event)
