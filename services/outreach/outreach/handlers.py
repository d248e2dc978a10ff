"""Events in from meetings (through the inbox, one transaction per event).

meetings decides our plans at the 重層的支援会議: approved → active, returned → returned,
ended → ended. Plans of other programs (and plan ids we do not know) are ignored.
"""

from __future__ import annotations

import asyncpg

from kasane.bus.dispatch import Dispatcher
from kasane.events.envelope import Envelope
from kasane.events.meetings import PlanApproved, PlanEnded, PlanReturned
from outreach import plans_store

dispatch = Dispatcher()

PROGRAM = "outreach"


@dispatch.on(PlanApproved)
async def plan_approved(conn: asyncpg.Connection, envelope: Envelope, event: PlanApproved) -> None:
    if event.program == PROGRAM:
        await plans_store.approve(
            conn, event.plan_id, event.approved_on, event.meeting_id, event.review_on
        )


@dispatch.on(PlanReturned)
async def plan_returned(conn: asyncpg.Connection, envelope: Envelope, event: PlanReturned) -> None:
    if event.program == PROGRAM:
        await plans_store.return_(
            conn, event.plan_id, event.returned_on, event.meeting_id, event.reason_code
        )


@dispatch.on(PlanEnded)
async def plan_ended(conn: asyncpg.Connection, envelope: Envelope, event: PlanEnded) -> None:
    if event.program == PROGRAM:
        await plans_store.end(conn, event.plan_id, event.ended_on)
