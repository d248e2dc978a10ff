"""Targets: register, read (ETag), versioned PATCH (If-Match), list, end/hand over."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Header, Query, Request, Response, status
from pydantic import BaseModel

from kasane.audit import record_access
from kasane.events.outreach import EngagementStageChanged
from kasane.ids import uuid7
from kasane.types import IsoDate, IsoDatetime
from kasane.web.errors import Refused
from kasane.web.etag import etag, matches
from kasane.web.events import EventWriter
from outreach import targets_store as store
from outreach.access import OperatorWorker, Worker
from outreach.clock import today_jst
from outreach.ending import EndIn, check_end, ended
from outreach.targets import TargetIn, TargetPatch, TargetState, plan_patch, registered
from outreach.visibility import entry, not_found, visible_target

router = APIRouter(tags=["アウトリーチ対象 targets"])


class TargetCreated(BaseModel):
    target_id: str


class StageChangeOut(BaseModel):
    from_stage: str
    to_stage: str
    changed_on: IsoDate
    reason: str | None
    changed_by: str


class TargetOut(BaseModel):
    target_id: str
    version: int
    status: str  # open | ended
    source: str
    description: str
    school_district_code: str | None
    case_id: str | None
    person_id: str | None
    stage: str
    stage_changed_on: IsoDate
    stage_history: list[StageChangeOut]
    assigned_worker: str | None
    visit_interval_days: int | None
    registered_on: IsoDate
    ended_on: IsoDate | None
    end_reason: str | None
    referral_id: str | None
    updated_at: IsoDatetime


class TargetSummary(BaseModel):
    """Codes only, for work lists: no description."""

    target_id: str
    source: str
    stage: str
    status: str
    school_district_code: str | None
    assigned_worker: str | None
    linked_to_case: bool
    registered_on: IsoDate


def _s(value: UUID | None) -> str | None:
    return None if value is None else str(value)


async def _out(conn: asyncpg.Connection, row: asyncpg.Record) -> TargetOut:
    history = await store.stage_history(conn, row["id"])
    return TargetOut(
        target_id=str(row["id"]),
        version=row["version"],
        status=row["status"],
        source=row["source"],
        description=row["description"],
        school_district_code=row["school_district_code"],
        case_id=_s(row["case_id"]),
        person_id=_s(row["person_id"]),
        stage=row["stage"],
        stage_changed_on=row["stage_changed_on"],
        stage_history=[StageChangeOut(**dict(h)) for h in history],
        assigned_worker=row["assigned_worker"],
        visit_interval_days=row["visit_interval_days"],
        registered_on=row["registered_on"],
        ended_on=row["ended_on"],
        end_reason=row["end_reason"],
        referral_id=_s(row["referral_id"]),
        updated_at=row["updated_at"],
    )


def _check_if_match(if_match: str | None, version: int, *, required: bool) -> None:
    if if_match is None:
        if required:
            raise Refused(
                428,
                "If-Match",
                "If-Match ヘッダが必要です（GET の ETag）/ If-Match required (the ETag of a GET)",
            )
        return
    if not matches(if_match, version):
        raise Refused(
            409,
            "If-Match",
            "他の担当者が先に更新しました。読み直してください"
            " / the target changed since you read it: read it again",
        )


@router.post("/targets", status_code=status.HTTP_201_CREATED)
async def register_target(
    body: TargetIn, principal: OperatorWorker, request: Request
) -> TargetCreated:
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    target_id = uuid7()
    registered_on = body.registered_on or today_jst()
    async with pool.acquire() as conn, conn.transaction():
        await store.insert(
            conn,
            target_id,
            body,
            agency_id=principal.agency,
            worker=body.assigned_worker or principal.sub,
            registered_on=registered_on,
            by=principal.sub,
        )
        await record_access(conn, entry(principal, target_id, "create", "allowed", body.person_id))
        await events.emit(
            conn, registered(target_id, body, registered_on), agency_id=principal.agency
        )
    return TargetCreated(target_id=str(target_id))


@router.get("/targets")
async def list_targets(
    principal: OperatorWorker,
    request: Request,
    status: Annotated[str | None, Query(pattern="^(open|ended)$")] = None,
    worker: Annotated[str | None, Query(max_length=100)] = None,
) -> list[TargetSummary]:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        rows = await store.listing(conn, principal.agency, status, worker)
    return [
        TargetSummary(
            target_id=str(r["id"]),
            source=r["source"],
            stage=r["stage"],
            status=r["status"],
            school_district_code=r["school_district_code"],
            assigned_worker=r["assigned_worker"],
            linked_to_case=r["linked"],
            registered_on=r["registered_on"],
        )
        for r in rows
    ]


@router.get("/targets/{target_id}")
async def read_target(
    target_id: UUID, principal: Worker, request: Request, response: Response
) -> TargetOut:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        async with conn.transaction():
            row = await visible_target(conn, principal, target_id, action="read")
            out = None if row is None else await _out(conn, row)
        if out is None:
            raise not_found(target_id)
    response.headers["ETag"] = etag(out.version)
    return out


@router.patch("/targets/{target_id}")
async def update_target(
    target_id: UUID,
    body: TargetPatch,
    principal: Worker,
    request: Request,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> TargetOut:
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    async with pool.acquire() as conn:
        async with conn.transaction():
            row = await visible_target(conn, principal, target_id, action="update", for_update=True)
            if row is not None:
                # Checked under the row lock: two offline edits cannot both pass.
                _check_if_match(if_match, row["version"], required=True)
                updates, change = plan_patch(TargetState.of(row), body, today_jst())
                if updates:
                    row = await store.update(conn, target_id, updates)
                if change is not None:
                    await store.insert_stage_change(conn, target_id, change, principal.sub)
                    await events.emit(
                        conn,
                        EngagementStageChanged(
                            target_id=target_id,
                            from_stage=change.from_stage,
                            to_stage=change.to_stage,
                            changed_on=change.changed_on,
                        ),
                        agency_id=principal.agency,
                    )
                out = await _out(conn, row)
        if row is None:
            raise not_found(target_id)
    response.headers["ETag"] = etag(out.version)
    return out


@router.post("/targets/{target_id}/end")
async def end_target(
    target_id: UUID,
    body: EndIn,
    principal: Worker,
    request: Request,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> TargetOut:
    """終結: e.g. handed over through a referral (reason ``handed_over`` + ``referral_id``)."""
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    async with pool.acquire() as conn:
        async with conn.transaction():
            row = await visible_target(conn, principal, target_id, action="end", for_update=True)
            if row is not None:
                _check_if_match(if_match, row["version"], required=False)
                if row["status"] != "open":
                    raise Refused(409, "status", "終了済みです / the outreach has already ended")
                ended_on = check_end(body, row["registered_on"], today_jst())
                row = await store.end(
                    conn,
                    target_id,
                    ended_on=ended_on,
                    reason=body.reason_code,
                    note=body.note,
                    referral_id=body.referral_id,
                )
                await events.emit(
                    conn, ended(target_id, body, ended_on), agency_id=principal.agency
                )
                out = await _out(conn, row)
        if row is None:
            raise not_found(target_id)
    response.headers["ETag"] = etag(out.version)
    return out
