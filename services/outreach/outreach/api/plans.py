"""Outreach plans: submit (PlanSubmitted, for the next 重層的支援会議), list, read one
(audited)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from kasane.auth.roles import OperatorStaff
from outreach.api.deps import Events, Pool, Today
from outreach.api.schemas import PlanOut
from outreach.domain.plans import PlanIn
from outreach.usecases import plans as usecases

router = APIRouter(tags=["アウトリーチプラン plans"])


@router.post("/targets/{target_id}/plans", status_code=status.HTTP_201_CREATED)
async def submit_plan(
    target_id: UUID,
    body: PlanIn,
    principal: OperatorStaff,
    pool: Pool,
    events: Events,
    clock: Today,
) -> PlanOut:
    plan = await usecases.submit_plan(pool, events, principal, target_id, body, clock.today())
    return PlanOut.of(plan)


@router.get("/targets/{target_id}/plans")
async def list_plans(target_id: UUID, principal: OperatorStaff, pool: Pool) -> list[PlanOut]:
    return [PlanOut.of(p) for p in await usecases.list_plans(pool, principal, target_id)]


@router.get("/plans/{plan_id}")
async def read_plan(plan_id: UUID, principal: OperatorStaff, pool: Pool) -> PlanOut:
    """The plan's goals and wishes stay here (events carry ids and dates): the 社協
    coordinator preparing the 重層的支援会議 reads them from this route."""
    return PlanOut.of(await usecases.read_plan(pool, principal, plan_id))
