"""Outreach plans: submit (``PlanSubmitted``, for the next 重層的支援会議), list, and the
decisions meetings makes on them (approved → active, returned, ended)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from kasane.audit import record_access
from kasane.auth import Principal
from kasane.events.meetings import PlanApproved, PlanEnded, PlanReturned
from kasane.ids import uuid7
from kasane.web.events import EventWriter
from outreach.domain.access import plan_entry, plan_not_found, plan_read_basis
from outreach.domain.plans import PlanIn, check_submittable, is_ours, submitted
from outreach.store import plans as store
from outreach.store import targets as targets_store
from outreach.store.plans import Plan
from outreach.usecases.access import visible_target


async def submit_plan(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    target_id: UUID,
    data: PlanIn,
    today: date,
) -> Plan:
    plan_id = uuid7()
    # Locked: two plans submitted at once for one target cannot both pass.
    async with visible_target(
        pool, principal, target_id, action="submit_plan", for_update=True
    ) as (conn, target):
        case_id, submitted_on = check_submittable(
            status=target.status,
            case_id=target.case_id,
            open_plans=await store.count_open(conn, target_id),
            data=data,
            today=today,
        )
        await store.insert(conn, plan_id, target_id, case_id, data, submitted_on, principal.sub)
        await events.emit(
            conn,
            submitted(plan_id, target_id, case_id, data, submitted_on),
            agency_id=principal.agency,
        )
        plan = await store.get(conn, plan_id)
        assert plan is not None  # inserted above, same transaction
        return plan


async def list_plans(pool: asyncpg.Pool, principal: Principal, target_id: UUID) -> list[Plan]:
    async with visible_target(pool, principal, target_id, action="read_plans") as (conn, _):
        return await store.for_target(conn, target_id)


async def read_plan(pool: asyncpg.Pool, principal: Principal, plan_id: UUID) -> Plan:
    """One plan with its goals and wishes (``domain.access.plan_read_basis``: the target's
    agency, or the meetings' coordinator while the plan waits for the 重層的支援会議). Every
    read is audited; a refusal too, committed before the 404 (the same as a missing plan)."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            plan = await store.get(conn, plan_id)
            target = await targets_store.get(conn, plan.target_id) if plan else None
            basis = None
            if plan is not None and target is not None:
                basis = plan_read_basis(principal, target.agency_id, plan.status)
            subject = target.person_id if target is not None and basis else None
            await record_access(conn, plan_entry(principal, plan_id, basis, subject))
        if plan is None or basis is None:
            raise plan_not_found(plan_id)
        return plan


# Decisions from meetings, in the inbox's transaction. Plans of other programs (and plan
# ids we do not know) are ignored: the conditional UPDATE matches nothing.


async def plan_approved(conn: asyncpg.Connection, event: PlanApproved) -> None:
    if is_ours(event.program):
        await store.approve(
            conn, event.plan_id, event.approved_on, event.meeting_id, event.review_on
        )


async def plan_returned(conn: asyncpg.Connection, event: PlanReturned) -> None:
    if is_ours(event.program):
        await store.return_(
            conn, event.plan_id, event.returned_on, event.meeting_id, event.reason_code
        )


async def plan_ended(conn: asyncpg.Connection, event: PlanEnded) -> None:
    if is_ours(event.program):
        await store.end(conn, event.plan_id, event.ended_on)
