"""GET /visits/overdue: regular visits that are late, per worker."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kasane.types import IsoDate
from outreach.api.deps import OperatorWorker, Pool, Today
from outreach.api.schemas import OverdueList, OverdueOut
from outreach.usecases.visits import overdue_visits

router = APIRouter(tags=["定期訪問 visits"])


@router.get("/visits/overdue")
async def overdue(
    principal: OperatorWorker,
    pool: Pool,
    clock: Today,
    worker: Annotated[str | None, Query(max_length=100, description="担当者 (sub)")] = None,
    as_of: Annotated[IsoDate | None, Query(description="基準日（既定: 今日）")] = None,
) -> OverdueList:
    day = as_of or clock.today()
    grouped = await overdue_visits(pool, principal, worker, day)
    return OverdueList(
        as_of=day,
        worker=worker,
        by_worker={w: [OverdueOut.of(o) for o in items] for w, items in grouped.items()},
    )
