"""参加者 API: enrolment, plan, steps, matching, placements, end. Each route parses its
input, calls one use case and shapes the answer; the rules live in ``usecases``/``domain``."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status

from participation.api.deps import CaseWorker, Events, Pool, Today
from participation.api.schemas import (
    Created,
    MatchView,
    ParticipantView,
    match_view,
    participant_line,
    participant_view,
)
from participation.domain.matching import Within
from participation.domain.participants import EndIn, EnrolIn, PlanIn, ProfileFields, StepIn
from participation.domain.participants import Status as ParticipantStatus
from participation.domain.placements import PlacementEndIn, PlacementIn
from participation.usecases import participants, placements, plans

router = APIRouter(prefix="/participants", tags=["参加者 participants"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def enrol(
    body: EnrolIn, principal: CaseWorker, pool: Pool, events: Events, clock: Today
) -> Created:
    participant_id = await participants.enrol(pool, events, principal, body, clock.today())
    return Created(id=participant_id, status="enrolled")


@router.get("")
async def list_participants(
    principal: CaseWorker,
    pool: Pool,
    status_: Annotated[ParticipantStatus | None, Query(alias="status")] = None,
) -> list[dict[str, Any]]:
    return [participant_line(r) for r in await participants.list_visible(pool, principal, status_)]


@router.get("/{participant_id}")
async def get_participant(
    participant_id: UUID, principal: CaseWorker, pool: Pool
) -> ParticipantView:
    return participant_view(await participants.read(pool, principal, participant_id))


@router.patch("/{participant_id}/profile")
async def update_profile(
    participant_id: UUID, body: ProfileFields, principal: CaseWorker, pool: Pool
) -> ParticipantView:
    updated = await participants.update_profile(pool, principal, participant_id, body)
    return participant_view(updated)


@router.post("/{participant_id}/plans", status_code=status.HTTP_201_CREATED)
async def submit_plan(
    participant_id: UUID,
    body: PlanIn,
    principal: CaseWorker,
    pool: Pool,
    events: Events,
    clock: Today,
) -> Created:
    plan_id = await plans.submit(pool, events, principal, participant_id, body, clock.today())
    return Created(id=plan_id, status="submitted")


@router.post("/{participant_id}/steps", status_code=status.HTTP_201_CREATED)
async def record_step(
    participant_id: UUID, body: StepIn, principal: CaseWorker, pool: Pool, clock: Today
) -> Created:
    step_id = await participants.record_step(pool, principal, participant_id, body, clock.today())
    return Created(id=step_id)


@router.get("/{participant_id}/matches")
async def matches(
    participant_id: UUID,
    principal: CaseWorker,
    pool: Pool,
    category: Annotated[str | None, Query()] = None,
    within: Annotated[Within, Query()] = "city",
) -> list[MatchView]:
    found = await placements.suggest(pool, principal, participant_id, category, within)
    return [match_view(m) for m in found]


@router.post("/{participant_id}/placements", status_code=status.HTTP_201_CREATED)
async def start_placement(
    participant_id: UUID, body: PlacementIn, principal: CaseWorker, pool: Pool, events: Events
) -> Created:
    placement_id = await placements.start(pool, events, principal, participant_id, body)
    return Created(id=placement_id, status="active")


@router.post("/{participant_id}/placements/{placement_id}/end")
async def end_placement(
    participant_id: UUID,
    placement_id: UUID,
    body: PlacementEndIn,
    principal: CaseWorker,
    pool: Pool,
    events: Events,
) -> Created:
    await placements.end(pool, events, principal, participant_id, placement_id, body)
    return Created(id=placement_id, status="ended")


@router.post("/{participant_id}/end")
async def end_participation(
    participant_id: UUID, body: EndIn, principal: CaseWorker, pool: Pool, events: Events
) -> Created:
    await participants.end(pool, events, principal, participant_id, body)
    return Created(id=participant_id, status="ended")
