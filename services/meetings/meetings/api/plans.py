"""多機関協働 プラン (written by 社協), any program's plan as meetings knows it, and the
end-of-plan evaluation."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Query, status
from pydantic import BaseModel

from kasane.auth import Principal
from kasane.errors import Conflict, Invalid, NotFound
from kasane.events.meetings import PlanSubmitted
from kasane.ids import uuid7
from kasane.types import IsoDate
from kasane.web.events import EventWriter
from meetings import queueing
from meetings.api.decisions import DecisionOut
from meetings.api.deps import CaseWorker, Coordinator, Events, Pool, Today
from meetings.auditing import audit, refuse_audited
from meetings.deciding import decide
from meetings.domain.access import item_hidden_reason, plan_access_basis
from meetings.domain.decisions import EvaluationIn
from meetings.domain.plans import (
    Plan,
    PlanContent,
    PlanIn,
    check_approved,
    check_content_date,
    check_revisable,
    check_submittable,
)
from meetings.queueing import Placement
from meetings.store import agenda as agenda_store
from meetings.store import cases as cases_store
from meetings.store import consents as consents_store
from meetings.store import decisions as decisions_store
from meetings.store import meetings as meetings_store
from meetings.store import members as members_store
from meetings.store import plans as plans_store

router = APIRouter(tags=["プラン plans"])

_NOT_FOUND = NotFound("plan_id", "プランが見つかりません / plan not found")


class PlanCreated(BaseModel):
    plan_id: str
    case_id: str
    status: str
    queued_meeting_id: str | None  # the 重層的支援会議 it is on, if placed
    agenda_item_id: str | None
    waiting_for: str | None  # "meeting" | "consent" when not placed yet
    waiting_reason: str | None

    @classmethod
    def of(cls, plan_id: UUID, case_id: UUID, status: str, placed: Placement | None) -> PlanCreated:
        return cls(
            plan_id=str(plan_id),
            case_id=str(case_id),
            status=status,
            queued_meeting_id=str(placed.meeting_id) if placed and placed.meeting_id else None,
            agenda_item_id=str(placed.agenda_item_id) if placed and placed.agenda_item_id else None,
            waiting_for=placed.waiting_for if placed else None,
            waiting_reason=placed.reason if placed else None,
        )


async def _submit(
    conn: asyncpg.Connection,
    events: EventWriter,
    principal: Principal,
    plan_id: UUID,
    today: date,
) -> Placement:
    plan = await plans_store.get(conn, plan_id)
    assert plan is not None
    await events.emit(
        conn,
        PlanSubmitted(
            plan_id=plan.id,
            case_id=plan.case_id,
            program="multiagency",
            submitted_on=today,
            review_on=plan.review_on,
        ),
        agency_id=principal.agency,
    )
    return await queueing.queue_plan(conn, plan, today)


@router.post("/plans", status_code=status.HTTP_201_CREATED)
async def create_plan(
    body: PlanIn, principal: Coordinator, pool: Pool, events: Events, clock: Today
) -> PlanCreated:
    """A 多機関協働 plan; submitted (and queued on the next 重層的支援会議) unless
    ``submit`` is false."""
    today = clock.today()
    check_content_date(body, today)
    plan_id = uuid7()
    state = "submitted" if body.submit else "draft"
    async with pool.acquire() as conn, conn.transaction():
        await plans_store.insert_multiagency(
            conn, plan_id, body.case_id, body, state, today if body.submit else None, principal.sub
        )
        await audit(
            conn,
            principal,
            record_type="plan",
            record_id=plan_id,
            action="create",
            purpose="多機関協働プランの作成 / multi-agency plan written",
            legal_basis="operator",
            subject_id=body.case_id,
        )
        placed = await _submit(conn, events, principal, plan_id, today) if body.submit else None
    return PlanCreated.of(plan_id, body.case_id, state, placed)


@router.put("/plans/{plan_id}")
async def revise_plan(
    plan_id: UUID, body: PlanContent, principal: Coordinator, pool: Pool, clock: Today
) -> PlanCreated:
    """Revise a draft or a returned plan (then submit it again)."""
    check_content_date(body, clock.today())
    async with pool.acquire() as conn, conn.transaction():
        plan = await plans_store.get(conn, plan_id, lock=True)
        if plan is None:
            raise _NOT_FOUND
        check_revisable(plan)
        await plans_store.revise(conn, plan.id, body, principal.sub)
        await audit(
            conn,
            principal,
            record_type="plan",
            record_id=plan.id,
            action="update",
            purpose="多機関協働プランの修正 / multi-agency plan revised",
            legal_basis="operator",
            subject_id=plan.case_id,
        )
    return PlanCreated.of(plan.id, plan.case_id, plan.status, None)


@router.post("/plans/{plan_id}/submit")
async def submit_plan(
    plan_id: UUID, principal: Coordinator, pool: Pool, events: Events, clock: Today
) -> PlanCreated:
    today = clock.today()
    async with pool.acquire() as conn, conn.transaction():
        plan = await plans_store.get(conn, plan_id, lock=True)
        if plan is None:
            raise _NOT_FOUND
        check_submittable(plan)
        if plan.review_on is not None and plan.review_on <= today:
            raise Invalid("review_on", "見直し時期が過ぎています / revise review_on first")
        await plans_store.submit(conn, plan.id, today)
        await audit(
            conn,
            principal,
            record_type="plan",
            record_id=plan.id,
            action="submit",
            purpose="多機関協働プランの提出 / multi-agency plan submitted",
            legal_basis="operator",
            subject_id=plan.case_id,
        )
        placed = await _submit(conn, events, principal, plan.id, today)
    return PlanCreated.of(plan.id, plan.case_id, "submitted", placed)


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


@router.get("/plans")
async def list_plans(
    principal: Coordinator,
    pool: Pool,
    plan_status: Annotated[
        Literal["draft", "submitted", "approved", "returned", "ended"] | None,
        Query(alias="status"),
    ] = None,
) -> list[PlanListItem]:
    """社協's plan list (ids, programs, dates: no plan content)."""
    async with pool.acquire() as conn:
        rows = await plans_store.listed(conn, plan_status)
    return [
        PlanListItem(
            plan_id=str(r["id"]),
            case_id=str(r["case_id"]),
            program=r["program"],
            status=r["status"],
            submitted_on=r["submitted_on"],
            review_on=r["review_on"],
            approved_on=r["approved_on"],
            ended_on=r["ended_on"],
            end_kind=r["end_kind"],
        )
        for r in rows
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


async def _agenda_visible(conn: asyncpg.Connection, agency: str, plan: Plan, today: date) -> bool:
    """Whether ``agency`` sees the plan's item on some 重層的支援会議 it is a member of."""
    consents = await consents_store.for_case(conn, plan.case_id)
    lead = (await cases_store.lead_agencies(conn, [plan.case_id])).get(plan.case_id)
    for item in await agenda_store.multilayer_items_of_plan(conn, plan.id):
        meeting = await meetings_store.get(conn, item.meeting_id)
        assert meeting is not None
        members = await members_store.of_meeting(conn, meeting.id)
        if agency not in members:
            continue
        if (
            item_hidden_reason(meeting, agency, members[agency], item, consents, lead, today)
            is None
        ):
            return True
    return False


@router.get("/plans/{plan_id}")
async def get_plan(plan_id: UUID, principal: CaseWorker, pool: Pool, clock: Today) -> PlanOut:
    """Seen by 社協, the owning program, agencies with a role, and members of a
    重層的支援会議 discussing it; anyone else gets 404 (existence not revealed)."""
    out: PlanOut | None = None
    async with pool.acquire() as conn, conn.transaction():
        plan = await plans_store.get(conn, plan_id)
        if plan is not None:
            roles = await plans_store.active_roles(conn, plan.id)
            basis = plan_access_basis(
                principal.agency,
                plan,
                [r["agency_id"] for r in roles],
                await _agenda_visible(conn, principal.agency, plan, clock.today()),
            )
            if basis is not None:
                await audit(
                    conn,
                    principal,
                    record_type="plan",
                    record_id=plan.id,
                    action="read",
                    purpose="プランの閲覧 / plan read",
                    legal_basis=basis,
                    subject_id=plan.case_id,
                )
                out = await _plan_out(conn, plan, basis, roles)
    if out is None:
        await refuse_audited(
            pool,
            principal,
            _NOT_FOUND,
            record_type="plan",
            record_id=plan_id,
            action="read",
            purpose="プランの閲覧 / plan read",
            subject_id=plan.case_id if plan else None,
        )
    return out


async def _plan_out(
    conn: asyncpg.Connection, plan: Plan, basis: str, roles: list[dict[str, Any]]
) -> PlanOut:
    row = await plans_store.detail(conn, plan.id)
    assert row is not None
    history = await decisions_store.of_plan(conn, plan.id)
    queued = await agenda_store.open_item_for_plan(conn, plan.id, "plan_appropriateness")
    queued_item = await agenda_store.get(conn, queued) if queued else None
    return PlanOut(
        plan_id=str(plan.id),
        case_id=str(plan.case_id),
        program=plan.program,
        status=plan.status,
        access_basis=basis,
        submitted_on=row["submitted_on"],
        review_on=row["review_on"],
        approved_on=row["approved_on"],
        approved_meeting_id=_s(row["approved_meeting_id"]),
        returned_on=row["returned_on"],
        return_reason_code=row["return_reason_code"],
        ended_on=row["ended_on"],
        end_kind=row["end_kind"],
        end_reason_code=row["end_reason_code"],
        version=row["version"],
        content=plan.content,
        roles=[{**r, "meeting_id": str(r["meeting_id"])} for r in roles],
        decisions=[{k: _s(v) if isinstance(v, UUID) else v for k, v in d.items()} for d in history],
        queued_meeting_id=str(queued_item.meeting_id) if queued_item else None,
    )


def _s(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


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
    async with pool.acquire() as conn, conn.transaction():
        plan = await plans_store.get(conn, plan_id)
        if plan is None:
            raise _NOT_FOUND
        check_approved(plan)
        item_id = await agenda_store.undecided_on_meeting(
            conn, body.meeting_id, plan.id, "plan_evaluation"
        )
        if item_id is None:
            raise Conflict(
                "meeting_id",
                "この会議の議題にプランの評価がありません / the plan is not on that meeting's "
                "agenda for evaluation (add a plan_evaluation item first)",
            )
        decided = await decide(
            conn, events, principal, body.meeting_id, body.as_decision(item_id), clock.today()
        )
    return DecisionOut.of(decided)
