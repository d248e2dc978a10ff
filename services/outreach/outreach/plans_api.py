"""Outreach plans: submit (PlanSubmitted, for the next 重層的支援会議), list (audited)."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from fastapi import APIRouter, Request, status
from pydantic import BaseModel

from kasane.ids import uuid7
from kasane.types import IsoDate
from kasane.web.events import EventWriter
from outreach import plans_store as store
from outreach.access import Worker
from outreach.clock import today_jst
from outreach.plans import PlanIn, check_submittable, submitted
from outreach.visibility import not_found, visible_target

router = APIRouter(tags=["アウトリーチプラン plans"])


class PlanOut(BaseModel):
    plan_id: str
    target_id: str
    case_id: str
    status: str  # submitted | active | returned | ended
    goals: list[str]
    wishes: str | None
    submitted_on: IsoDate
    review_on: IsoDate | None
    approved_on: IsoDate | None
    meeting_id: str | None
    returned_on: IsoDate | None
    return_reason: str | None
    ended_on: IsoDate | None


def _out(row: asyncpg.Record) -> PlanOut:
    return PlanOut(
        plan_id=str(row["plan_id"]),
        target_id=str(row["target_id"]),
        case_id=str(row["case_id"]),
        status=row["status"],
        goals=list(row["goals"]),
        wishes=row["wishes"],
        submitted_on=row["submitted_on"],
        review_on=row["review_on"],
        approved_on=row["approved_on"],
        meeting_id=None if row["meeting_id"] is None else str(row["meeting_id"]),
        returned_on=row["returned_on"],
        return_reason=row["return_reason"],
        ended_on=row["ended_on"],
    )


@router.post("/targets/{target_id}/plans", status_code=status.HTTP_201_CREATED)
async def submit_plan(
    target_id: UUID, body: PlanIn, principal: Worker, request: Request
) -> PlanOut:
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    plan_id = uuid7()
    async with pool.acquire() as conn:
        async with conn.transaction():
            # Locked: two plans submitted at once for one target cannot both pass.
            target = await visible_target(
                conn, principal, target_id, action="submit_plan", for_update=True
            )
            if target is not None:
                case_id, submitted_on = check_submittable(
                    status=target["status"],
                    case_id=target["case_id"],
                    open_plans=await store.count_open(conn, target_id),
                    data=body,
                    today=today_jst(),
                )
                await store.insert(
                    conn, plan_id, target_id, case_id, body, submitted_on, principal.sub
                )
                await events.emit(
                    conn,
                    submitted(plan_id, target_id, case_id, body, submitted_on),
                    agency_id=principal.agency,
                )
                [row] = [
                    p for p in await store.for_target(conn, target_id) if p["plan_id"] == plan_id
                ]
        if target is None:
            raise not_found(target_id)
    return _out(row)


@router.get("/targets/{target_id}/plans")
async def list_plans(target_id: UUID, principal: Worker, request: Request) -> list[PlanOut]:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        async with conn.transaction():
            target = await visible_target(conn, principal, target_id, action="read_plans")
            rows = [] if target is None else await store.for_target(conn, target_id)
        if target is None:
            raise not_found(target_id)
    return [_out(r) for r in rows]
