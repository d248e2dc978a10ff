"""参加支援プラン: submitted to the next 重層的支援会議, decided there (events in)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

import asyncpg

from kasane.auth import Principal
from kasane.events.participation import PlanSubmitted
from kasane.ids import uuid7
from kasane.web.events import EventWriter
from participation.domain import participants as rules
from participation.domain.participants import PlanIn
from participation.store import participants as store
from participation.store import plans as plans_store
from participation.usecases.access import audit, guard, in_transaction


async def submit(
    pool: asyncpg.Pool,
    writer: EventWriter,
    principal: Principal,
    participant_id: UUID,
    body: PlanIn,
    today: date,
) -> UUID:
    plan_id = uuid7()

    async def work(conn: asyncpg.Connection) -> UUID:
        row = await guard(conn, participant_id, principal, write=True)
        rules.check_status("plan", row.status)
        if body.review_on is not None:
            rules.check_not_before(body.review_on, today, "review_on")
        await plans_store.insert_plan(conn, plan_id, participant_id, body, today, principal.sub)
        await store.set_status(conn, participant_id, "plan_submitted")
        await audit(conn, principal, row, "plan_submit")
        submitted = PlanSubmitted(
            plan_id=plan_id,
            case_id=row.case_id,
            program="participation",
            submitted_on=today,
            review_on=body.review_on,
            participant_id=participant_id,
            planned_stages=list(dict.fromkeys(s.stage for s in body.steps)),
        )
        await writer.emit(conn, submitted, agency_id=principal.agency)
        return plan_id

    return await in_transaction(pool, principal, participant_id, "plan_submit", work)


async def record_decision(
    conn: asyncpg.Connection,
    plan_id: UUID,
    decision: Literal["approved", "returned"],
    decided_on: date,
    meeting_id: UUID,
    reason_code: str | None = None,
) -> None:
    """The meeting's decision (inside the inbox transaction): an approved plan makes the
    participation active, a returned one sends it back to enrolled (resubmit allowed)."""
    participant_id = await plans_store.decide_plan(
        conn, plan_id, decision, decided_on, meeting_id, reason_code
    )
    if participant_id is None:
        return  # not ours, or already decided (redelivery)
    to_status: rules.Status = "active" if decision == "approved" else "enrolled"
    await store.advance(conn, participant_id, "plan_submitted", to_status)
