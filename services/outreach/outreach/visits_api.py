"""GET /visits/overdue: regular visits that are late, per worker."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from kasane.audit import AccessEntry, record_access
from kasane.types import IsoDate
from outreach import visits_store
from outreach.access import OperatorWorker
from outreach.clock import today_jst
from outreach.visits import overdue_by_worker

router = APIRouter(tags=["定期訪問 visits"])


class OverdueOut(BaseModel):
    target_id: str
    due_on: IsoDate
    days_overdue: int
    last_visit_on: IsoDate | None
    stage: str
    school_district_code: str | None


class OverdueList(BaseModel):
    as_of: IsoDate
    worker: str | None
    by_worker: dict[str, list[OverdueOut]]


@router.get("/visits/overdue")
async def overdue(
    principal: OperatorWorker,
    request: Request,
    worker: Annotated[str | None, Query(max_length=100, description="担当者 (sub)")] = None,
    as_of: Annotated[IsoDate | None, Query(description="基準日（既定: 今日）")] = None,
) -> OverdueList:
    day = as_of or today_jst()
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        schedule = await visits_store.schedule(conn, principal.agency, worker)
        # Ids and codes only, but it is still a look at who is being visited: audited.
        await record_access(
            conn,
            AccessEntry.by(
                principal,
                record_type="outreach_visit_schedule",
                record_id=worker or "*",
                action="list",
                purpose="定期訪問の管理",
                outcome="allowed",
                legal_basis="owner",
            ),
        )
    grouped = overdue_by_worker(schedule, day)
    return OverdueList(
        as_of=day,
        worker=worker,
        by_worker={
            w: [
                OverdueOut(
                    target_id=str(o.target_id),
                    due_on=o.due_on,
                    days_overdue=o.days_overdue,
                    last_visit_on=o.last_visit_on,
                    stage=o.stage,
                    school_district_code=o.school_district_code,
                )
                for o in items
            ]
            for w, items in grouped.items()
        },
    )
