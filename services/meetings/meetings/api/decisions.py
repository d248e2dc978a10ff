"""POST /meetings/{id}/decisions: the meeting's decision on one agenda item."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from meetings.api.deps import Coordinator, Events, Pool, Today
from meetings.api.schemas import DecisionOut
from meetings.domain.decisions import DecisionIn
from meetings.usecases.deciding import record_decision as decide

router = APIRouter(tags=["決定 decisions"])


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
    decided = await decide(pool, events, principal, meeting_id, body, clock.today())
    return DecisionOut.of(decided)
