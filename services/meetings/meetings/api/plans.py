"""多機関協働 プラン (written by 社協), any program's plan as meetings knows it, and the
end-of-plan evaluation."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, status
from pydantic import BaseModel

from kasane.types import IsoDate
from meetings.api.deps import CaseWorker, Coordinator, Events, Pool, Today
from meetings.api.schemas import DecisionOut
from meetings.domain.decisions import EvaluationIn
from meetings.domain.plans import PlanContent, PlanIn
from meetings.usecases import deciding, plans
from meetings.usecases.plans import PlanRead, PlanState

router = APIRouter(tags=["プラン plans"])


class PlanCreated(BaseModel):
    plan_id: str
    case_id: str
    status: str
    queued_meeting_id: str | None  # the 重層的支援会議 it is on, if placed
    agenda_item_id: str | None
    waiting_for: str | None  # "meeting" | "consent" when not placed yet
    waiting_reason: str | None

    @classmethod
    def of(cls, state: PlanState) -> PlanCreated:
        placed = state.placed
        return cls(
            plan_id=str(state.plan_id),
            case_id=str(state.case_id),
            status=state.status,
            queued_meeting_id=_s(placed.meeting_id) if placed else None,
            agenda_item_id=_s(placed.agenda_item_id) if placed else None,
            waiting_for=placed.waiting_for if placed else None,
            waiting_reason=placed.reason if placed else None,
        )


@router.post("/plans", status_code=status.HTTP_201_CREATED)
async def create_plan(
    body: PlanIn, principal: Coordinator, pool: Pool, events: Events, clock: Today
) -> PlanCreated:
    """A 多機関協働 plan; submitted (and queued on the next 重層的支援会議) unless
    ``submit`` is false."""
    return PlanCreated.of(await plans.create_plan(pool, events, principal, body, clock.today()))


@router.put("/plans/{plan_id}")
async def revise_plan(
    plan_id: UUID, body: PlanContent, principal: Coordinator, pool: Pool, clock: Today
) -> PlanCreated:
    """Revise a draft or a returned plan (then submit it again)."""
    return PlanCreated.of(await plans.revise_plan(pool, principal, plan_id, body, clock.today()))


@router.post("/plans/{plan_id}/submit")
async def submit_plan(
    plan_id: UUID, principal: Coordinator, pool: Pool, events: Events, clock: Today
) -> PlanCreated:
    state = await plans.submit_plan(pool, events, principal, plan_id, clock.today())
    return PlanCreated.of(state)


class PlanListItem(BaseModel):
    plan_id: str
    case_id: str
    program: str
    status: str
    submitted_on: IsoDate | None
    review_on: IsoDate | None
    approved_on: IsoDate | None
    ended_on: IsoDate | None
    end_kind: str | None
    # 適切性の協議待ち: the meeting and item it is queued on (the item shows the goals,
    # roles and the case summary to those who may see it; each such read is audited).
    queued_meeting_id: str | None = None
    queued_meeting_date: IsoDate | None = None
    agenda_item_id: str | None = None


@router.get("/plans")
async def list_plans(
    principal: Coordinator,
    pool: Pool,
    plan_status: Annotated[
        Literal["draft", "submitted", "approved", "returned", "ended"] | None,
        Query(alias="status"),
    ] = None,
) -> list[PlanListItem]:
    """社協's plan list (ids, programs, dates: no plan content); ``status=submitted`` is
    the queue for appropriateness, each with the meeting it is placed on."""
    return [
        PlanListItem(
            plan_id=str(p.id),
            case_id=str(p.case_id),
            program=p.program,
            status=p.status,
            submitted_on=p.submitted_on,
            review_on=p.review_on,
            approved_on=p.approved_on,
            ended_on=p.ended_on,
            end_kind=p.end_kind,
            queued_meeting_id=_s(p.queued_meeting_id),
            queued_meeting_date=p.queued_meeting_date,
            agenda_item_id=_s(p.agenda_item_id),
        )
        for p in await plans.list_plans(pool, plan_status)
    ]


class PlanOut(BaseModel):
    plan_id: str
    case_id: str
    program: str
    status: str
    access_basis: str  # operator | owner | plan_role | consent
    submitted_on: IsoDate | None
    review_on: IsoDate | None
    approved_on: IsoDate | None
    approved_meeting_id: str | None
    returned_on: IsoDate | None
    return_reason_code: str | None
    ended_on: IsoDate | None
    end_kind: str | None
    end_reason_code: str | None
    version: int
    content: dict[str, Any] | None  # 多機関協働 plans only
    roles: list[dict[str, Any]]  # 役割分担 in force (decided in a meeting)
    decisions: list[dict[str, Any]]
    queued_meeting_id: str | None

    @classmethod
    def of(cls, read: PlanRead) -> PlanOut:
        plan, dates = read.plan, read.dates
        return cls(
            plan_id=str(plan.id),
            case_id=str(plan.case_id),
            program=plan.program,
            status=plan.status,
            access_basis=read.access_basis,
            submitted_on=dates.submitted_on,
            review_on=dates.review_on,
            approved_on=dates.approved_on,
            approved_meeting_id=_s(dates.approved_meeting_id),
            returned_on=dates.returned_on,
            return_reason_code=dates.return_reason_code,
            ended_on=dates.ended_on,
            end_kind=dates.end_kind,
            end_reason_code=dates.end_reason_code,
            version=dates.version,
            content=plan.content,
            roles=[_ids_as_text(asdict(r)) for r in read.roles],
            decisions=[_ids_as_text(asdict(d)) for d in read.decisions],
            queued_meeting_id=_s(read.queued_meeting_id),
        )


@router.get("/plans/{plan_id}")
async def get_plan(plan_id: UUID, principal: CaseWorker, pool: Pool, clock: Today) -> PlanOut:
    """Seen by 社協, the owning program, agencies with a role, and members of a
    重層的支援会議 discussing it; anyone else gets 404 (existence not revealed)."""
    return PlanOut.of(await plans.read_plan(pool, principal, plan_id, clock.today()))


@router.post("/plans/{plan_id}/evaluation", status_code=status.HTTP_201_CREATED)
async def evaluate_plan(
    plan_id: UUID,
    body: EvaluationIn,
    principal: Coordinator,
    pool: Pool,
    events: Events,
    clock: Today,
) -> DecisionOut:
    """プラン終結時等の評価 at a 重層的支援会議 that has the plan on its agenda as
    ``plan_evaluation``: continue, or end it as 終結 (completed) / 中断 (suspended)."""
    decided = await deciding.evaluate_plan(pool, events, principal, plan_id, body, clock.today())
    return DecisionOut.of(decided)


def _s(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


def _ids_as_text(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _s(v) if isinstance(v, UUID) else v for k, v in row.items()}
