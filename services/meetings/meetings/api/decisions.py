"""POST /meetings/{id}/decisions: the meeting's decision on one agenda item."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel

from kasane.types import IsoDate
from meetings.api.deps import Coordinator, Events, Pool, Today
from meetings.deciding import Decided, decide
from meetings.domain.decisions import DecisionIn

router = APIRouter(tags=["決定 decisions"])


class DecisionOut(BaseModel):
    decision_id: str
    agenda_item_id: str
    outcome: str
    decided_on: IsoDate
    plan_id: str | None
    plan_status: str | None
    roles_assigned: list[str]
    gap_ids: list[str]
    events: list[str]  # event types published (CaseDiscussed, PlanApproved, ...)

    @classmethod
    def of(cls, decided: Decided) -> DecisionOut:
        return cls(
            decision_id=str(decided.decision_id),
            agenda_item_id=str(decided.agenda_item_id),
            outcome=decided.outcome,
            decided_on=decided.decided_on,
            plan_id=str(decided.plan_id) if decided.plan_id else None,
            plan_status=decided.plan_status,
            roles_assigned=decided.roles_assigned,
            gap_ids=[str(g) for g in decided.gap_ids],
            events=decided.events,
        )


@router.post("/meetings/{meeting_id}/decisions", status_code=status.HTTP_201_CREATED)
async def record_decision(
    meeting_id: UUID,
    body: DecisionIn,
    principal: Coordinator,
    pool: Pool,
    events: Events,
    clock: Today,
) -> DecisionOut:
    """One decision per item, minuted by 社協 from the meeting day until the meeting is
    closed: approve/return a plan, continue/end it (evaluation), record resource gaps,
    share, watch, urgent action or escalate to a program."""
    async with pool.acquire() as conn, conn.transaction():
        decided = await decide(conn, events, principal, meeting_id, body, clock.today())
    return DecisionOut.of(decided)
