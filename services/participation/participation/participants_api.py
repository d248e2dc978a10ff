"""参加者 API: enrolment, plan, steps, matching, placements, end. アソウ changes; the
referring agency may read its own participant; everyone else gets 404."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel

from kasane.audit import AccessEntry, audited, record_access
from kasane.auth import Principal
from kasane.auth.dependencies import require_roles
from kasane.events.participation import PlacementStarted, PlanSubmitted
from kasane.ids import uuid7
from kasane.types import IsoDate
from kasane.web.errors import Refused
from kasane.web.events import EventWriter
from participation import lifecycle, matching, resources_store
from participation import participants as rules
from participation import participants_store as store
from participation.clock import Clock, system_clock
from participation.resources import check_room, effective_capacity, free_places

router = APIRouter(prefix="/participants", tags=["参加者 participants"])

CaseWorker = Annotated[Principal, Depends(require_roles("counselor", "coordinator", "manager"))]
Today = Annotated[Clock, Depends(system_clock)]

_PURPOSE = "参加支援"
_NOT_FOUND = "参加者が見つかりません / participant not found"


class Created(BaseModel):
    id: UUID
    status: str | None = None


class ParticipantView(BaseModel):
    participant_id: UUID
    case_id: UUID
    referral_id: UUID | None
    meeting_decision_id: UUID | None
    legal_basis: str
    status: str
    age_band: str | None
    school_district_code: str | None
    started_on: IsoDate
    ended_on: IsoDate | None
    outcome_code: str | None
    current_stage: str | None
    plans: list[dict[str, Any]]
    placements: list[dict[str, Any]]
    steps: list[dict[str, Any]]


class MatchView(BaseModel):
    resource_id: UUID
    category: str
    school_district_code: str | None
    proximity: str
    free: int | None
    age_min: int | None
    age_max: int | None


def _entry(
    principal: Principal, record_id: UUID, action: str, outcome: str, **kw: Any
) -> AccessEntry:
    return AccessEntry.by(
        principal,
        record_type="participant",
        record_id=str(record_id),
        action=action,
        purpose=_PURPOSE,
        outcome=outcome,
        **kw,
    )


async def _guard(
    conn: asyncpg.Connection, participant_id: UUID, principal: Principal, *, write: bool
) -> asyncpg.Record:
    row = await store.get_participant(conn, participant_id, for_update=write)
    if row is None or not rules.can_see(principal.agency, store.access_of(row)):
        raise Refused(404, "participant_id", _NOT_FOUND)
    if write:
        rules.check_operator(principal.agency)
    return row


async def _audit(
    conn: asyncpg.Connection, principal: Principal, row: asyncpg.Record, action: str
) -> None:
    basis = "owner" if principal.agency == row["referring_agency_id"] else row["legal_basis"]
    await record_access(
        conn, _entry(principal, row["participant_id"], action, "allowed", legal_basis=basis)
    )


T = TypeVar("T")


def _run(
    request: Request,
    principal: Principal,
    participant_id: UUID,
    action: str,
    work: Callable[[asyncpg.Connection], Awaitable[T]],
) -> Awaitable[T]:
    return audited(
        request.app.state.pool, _entry(principal, participant_id, action, "denied"), work
    )


def _records(rows: list[asyncpg.Record], *, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        item = {k: v for k, v in dict(r).items() if k not in drop}
        if isinstance(item.get("planned_steps"), str):
            item["planned_steps"] = json.loads(item["planned_steps"])
        out.append(item)
    return out


async def _view(conn: asyncpg.Connection, row: asyncpg.Record) -> ParticipantView:
    pid = row["participant_id"]
    steps = await store.steps_of(conn, pid)
    return ParticipantView(
        **{k: row[k] for k in ParticipantView.model_fields if k in row.keys()},
        current_stage=rules.current_stage([s["stage"] for s in steps]),
        plans=_records(await store.plans_of(conn, pid), drop=("participant_id", "submitted_by")),
        placements=_records(await store.placements_of(conn, pid), drop=("participant_id",)),
        steps=_records(steps, drop=("participant_id", "recorded_at")),
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def enrol(
    body: rules.EnrolIn, principal: CaseWorker, request: Request, clock: Today
) -> Created:
    rules.check_operator(principal.agency)
    writer: EventWriter = request.app.state.events
    participant_id = uuid7()

    async def work(conn: asyncpg.Connection) -> Created:
        fields: dict[str, Any]
        if body.referral_id is not None:
            grant = await store.get_grant(conn, body.referral_id)
            if grant is None:
                raise Refused(404, "referral_id", "つなぎが見つかりません / referral not found")
            if grant["status"] != "accepted":
                raise Refused(
                    409,
                    "referral_id",
                    f"受理されたつなぎではありません（{grant['status']}） / "
                    f"the referral is {grant['status']}, not accepted",
                )
            if await store.participant_of_referral(conn, body.referral_id) is not None:
                raise Refused(
                    409, "referral_id", "このつなぎは登録済みです / already enrolled from it"
                )
            fields = {
                "case_id": grant["case_id"],
                "legal_basis": grant["legal_basis"],
                "referral_id": body.referral_id,
                "referring_agency_id": grant["from_agency_id"],
            }
        else:
            assert body.case_id is not None
            fields = {
                "case_id": body.case_id,
                "legal_basis": "support_meeting",
                "meeting_decision_id": body.meeting_decision_id,
            }
        await lifecycle.enrol(
            conn,
            writer,
            lifecycle.Trace(principal.agency),
            participant_id=participant_id,
            started_on=clock.today(),
            age_band=body.age_band,
            school_district_code=body.school_district_code,
            created_by=principal.sub,
            **fields,
        )
        await record_access(
            conn,
            _entry(
                principal, participant_id, "create", "allowed", legal_basis=fields["legal_basis"]
            ),
        )
        return Created(id=participant_id, status="enrolled")

    denial = _entry(principal, participant_id, "create", "denied")
    return await audited(request.app.state.pool, denial, work)


@router.get("")
async def list_participants(
    principal: CaseWorker,
    request: Request,
    status_: Annotated[rules.Status | None, Query(alias="status")] = None,
) -> list[dict[str, Any]]:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        rows = await store.visible_participants(conn, principal.agency, status_)
        for row in rows:
            await _audit(conn, principal, row, "list")
    return [{k: v for k, v in dict(r).items() if k != "legal_basis"} for r in rows]


@router.get("/{participant_id}")
async def get_participant(
    participant_id: UUID, principal: CaseWorker, request: Request
) -> ParticipantView:
    async def work(conn: asyncpg.Connection) -> ParticipantView:
        row = await _guard(conn, participant_id, principal, write=False)
        await _audit(conn, principal, row, "read")
        return await _view(conn, row)

    return await _run(request, principal, participant_id, "read", work)


@router.patch("/{participant_id}/profile")
async def update_profile(
    participant_id: UUID, body: rules.ProfileFields, principal: CaseWorker, request: Request
) -> ParticipantView:
    async def work(conn: asyncpg.Connection) -> ParticipantView:
        row = await _guard(conn, participant_id, principal, write=True)
        await store.update_profile(conn, participant_id, body.age_band, body.school_district_code)
        await _audit(conn, principal, row, "update")
        updated = await store.get_participant(conn, participant_id)
        assert updated is not None
        return await _view(conn, updated)

    return await _run(request, principal, participant_id, "update", work)


@router.post("/{participant_id}/plans", status_code=status.HTTP_201_CREATED)
async def submit_plan(
    participant_id: UUID, body: rules.PlanIn, principal: CaseWorker, request: Request, clock: Today
) -> Created:
    writer: EventWriter = request.app.state.events
    plan_id = uuid7()

    async def work(conn: asyncpg.Connection) -> Created:
        row = await _guard(conn, participant_id, principal, write=True)
        rules.check_status("plan", row["status"])
        today = clock.today()
        if body.review_on is not None:
            rules.check_not_before(body.review_on, today, "review_on")
        await store.insert_plan(conn, plan_id, participant_id, body, today, principal.sub)
        await store.set_status(conn, participant_id, "plan_submitted")
        await _audit(conn, principal, row, "plan_submit")
        await writer.emit(
            conn,
            PlanSubmitted(
                plan_id=plan_id,
                case_id=row["case_id"],
                program="participation",
                submitted_on=today,
                review_on=body.review_on,
                participant_id=participant_id,
            ),
            agency_id=principal.agency,
        )
        return Created(id=plan_id, status="submitted")

    return await _run(request, principal, participant_id, "plan_submit", work)


@router.post("/{participant_id}/steps", status_code=status.HTTP_201_CREATED)
async def record_step(
    participant_id: UUID, body: rules.StepIn, principal: CaseWorker, request: Request, clock: Today
) -> Created:
    step_id = uuid7()

    async def work(conn: asyncpg.Connection) -> Created:
        row = await _guard(conn, participant_id, principal, write=True)
        rules.check_status("step", row["status"])
        rules.check_not_before(body.reached_on, row["started_on"], "reached_on")
        if body.reached_on > clock.today():
            raise Refused(422, "reached_on", "未来の日付です / reached_on is in the future")
        await store.insert_step(
            conn,
            {
                "step_id": step_id,
                "participant_id": participant_id,
                "stage": body.stage,
                "reached_on": body.reached_on,
                "note": body.note,
                "recorded_by": principal.sub,
            },
        )
        await _audit(conn, principal, row, "step_record")
        return Created(id=step_id)

    return await _run(request, principal, participant_id, "step_record", work)


@router.get("/{participant_id}/matches")
async def matches(
    participant_id: UUID,
    principal: CaseWorker,
    request: Request,
    category: Annotated[str | None, Query()] = None,
    within: Annotated[matching.Within, Query()] = "city",
) -> list[MatchView]:
    async def work(conn: asyncpg.Connection) -> list[MatchView]:
        row = await _guard(conn, participant_id, principal, write=True)
        await _audit(conn, principal, row, "match")
        candidates = [
            matching.Candidate(
                resource_id=str(r["resource_id"]),
                category=r["category"],
                school_district_code=r["school_district_code"],
                age_min=r["age_min"],
                age_max=r["age_max"],
                free=free_places(
                    effective_capacity(r["capacity"], r["capacity_override"]), r["in_use"]
                ),
            )
            for r in await resources_store.listing(conn)
        ]
        found = matching.suggest(
            candidates,
            age_band=row["age_band"],
            home_district=row["school_district_code"],
            category=category,
            within=within,
        )
        return [
            MatchView(
                resource_id=UUID(m.candidate.resource_id),
                category=m.candidate.category,
                school_district_code=m.candidate.school_district_code,
                proximity=m.proximity,
                free=m.candidate.free,
                age_min=m.candidate.age_min,
                age_max=m.candidate.age_max,
            )
            for m in found
        ]

    return await _run(request, principal, participant_id, "match", work)


@router.post("/{participant_id}/placements", status_code=status.HTTP_201_CREATED)
async def start_placement(
    participant_id: UUID, body: rules.PlacementIn, principal: CaseWorker, request: Request
) -> Created:
    writer: EventWriter = request.app.state.events
    placement_id = uuid7()

    async def work(conn: asyncpg.Connection) -> Created:
        row = await _guard(conn, participant_id, principal, write=True)
        rules.check_status("place", row["status"])
        resource = await resources_store.get(conn, body.resource_id, for_update=True)
        if resource is None:
            raise Refused(404, "resource_id", "社会資源が見つかりません / resource not found")
        if resource["withdrawn_on"] is not None:
            raise Refused(
                409, "resource_id", "掲載終了した社会資源です / the resource was withdrawn"
            )
        check_room(
            effective_capacity(resource["capacity"], resource["capacity_override"]),
            resource["in_use"],
        )
        await store.insert_placement(
            conn,
            {
                "placement_id": placement_id,
                "participant_id": participant_id,
                "resource_id": body.resource_id,
                "status": "active",
                "started_on": body.started_on,
                "planned_end_on": body.planned_end_on,
            },
        )
        await _audit(conn, principal, row, "placement_start")
        await writer.emit(
            conn,
            PlacementStarted(
                placement_id=placement_id,
                participant_id=participant_id,
                case_id=row["case_id"],
                resource_id=body.resource_id,
                category=resource["category"],
                started_on=body.started_on,
            ),
            agency_id=principal.agency,
        )
        return Created(id=placement_id, status="active")

    return await _run(request, principal, participant_id, "placement_start", work)


@router.post("/{participant_id}/placements/{placement_id}/end")
async def end_placement(
    participant_id: UUID,
    placement_id: UUID,
    body: rules.PlacementEndIn,
    principal: CaseWorker,
    request: Request,
) -> Created:
    writer: EventWriter = request.app.state.events

    async def work(conn: asyncpg.Connection) -> Created:
        row = await _guard(conn, participant_id, principal, write=True)
        placement = await store.get_placement(conn, participant_id, placement_id)
        if placement is None:
            raise Refused(404, "placement_id", "受け入れが見つかりません / placement not found")
        if placement["status"] != "active":
            raise Refused(409, "status", "終了済みの受け入れです / the placement has ended")
        rules.check_not_before(body.ended_on, placement["started_on"], "ended_on")
        await lifecycle.end_placement(
            conn,
            writer,
            lifecycle.Trace(principal.agency),
            placement,
            row["case_id"],
            body.ended_on,
            body.outcome_code,
        )
        await _audit(conn, principal, row, "placement_end")
        return Created(id=placement_id, status="ended")

    return await _run(request, principal, participant_id, "placement_end", work)


@router.post("/{participant_id}/end")
async def end_participation(
    participant_id: UUID, body: rules.EndIn, principal: CaseWorker, request: Request
) -> Created:
    writer: EventWriter = request.app.state.events

    async def work(conn: asyncpg.Connection) -> Created:
        row = await _guard(conn, participant_id, principal, write=True)
        rules.check_status("end", row["status"])
        rules.check_not_before(body.ended_on, row["started_on"], "ended_on")
        rules.check_no_open_placements(
            len(await store.placements_of(conn, participant_id, only_active=True))
        )
        await lifecycle.end(
            conn,
            writer,
            lifecycle.Trace(principal.agency),
            row,
            status="ended",
            ended_on=body.ended_on,
            outcome=body.outcome_code,
        )
        await _audit(conn, principal, row, "end")
        return Created(id=participant_id, status="ended")

    return await _run(request, principal, participant_id, "end", work)
