"""GET /cases/{case_id}/plans: the plans of a case the caller may see (portal case page)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from kasane.types import IsoDate
from meetings.api.deps import CaseWorker, Pool, Today
from meetings.usecases.case_plans import plans_of_case

router = APIRouter(tags=["プラン plans"])


class CasePlan(BaseModel):
    plan_id: str
    program: str
    status: str
    access_basis: str  # operator | owner | plan_role | consent
    submitted_on: IsoDate | None
    review_on: IsoDate | None
    approved_on: IsoDate | None
    ended_on: IsoDate | None


class CasePlans(BaseModel):
    case_id: str
    items: list[CasePlan]


@router.get("/cases/{case_id}/plans")
async def case_plans(case_id: UUID, principal: CaseWorker, pool: Pool, clock: Today) -> CasePlans:
    """Ids, programs, states and dates (no plan content); each plan shown is a read audited
    on its own basis, and a plan the caller may not read is not listed."""
    found = await plans_of_case(pool, principal, case_id, clock.today())
    return CasePlans(
        case_id=str(case_id),
        items=[
            CasePlan(
                plan_id=str(r.plan.id),
                program=r.plan.program,
                status=r.plan.status,
                access_basis=r.access_basis,
                submitted_on=r.dates.submitted_on,
                review_on=r.dates.review_on,
                approved_on=r.dates.approved_on,
                ended_on=r.dates.ended_on,
            )
            for r in found
        ],
    )
