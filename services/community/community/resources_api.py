"""Social-resource directory: publish, revise, withdraw (events), and look up (any token)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Header, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, field_validator

from community import codes
from community import resources_store as store
from community.access import AnyToken, ShakyoWriter
from community.clock import today_jst
from community.resources import ResourceIn, published
from community.watch_visits import check_district
from kasane.events.community import ResourceWithdrawn
from kasane.ids import uuid7
from kasane.types import IsoDate, IsoDatetime
from kasane.web.errors import Refused
from kasane.web.etag import etag, matches
from kasane.web.events import EventWriter

router = APIRouter(prefix="/resources", tags=["社会資源 directory"])


class ResourceOut(ResourceIn):
    id: str
    version: int
    status: str  # published | withdrawn
    withdrawn_on: IsoDate | None
    updated_at: IsoDatetime


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    withdrawn_on: IsoDate | None = None  # default: today

    @field_validator("withdrawn_on")
    @classmethod
    def _not_future(cls, value: date | None) -> date | None:
        if value is not None and value > today_jst():
            raise ValueError("廃止日が未来です / withdrawn_on is in the future")
        return value


def _out(row: asyncpg.Record) -> ResourceOut:
    doc: dict[str, Any] = json.loads(row["doc"])
    return ResourceOut(
        **doc,
        id=str(row["id"]),
        version=row["version"],
        status=row["status"],
        withdrawn_on=row["withdrawn_on"],
        updated_at=row["updated_at"],
    )


def _not_found(resource_id: UUID) -> Refused:
    return Refused(404, "resource_id", f"見つかりません / no resource {resource_id}")


@router.post("", status_code=status.HTTP_201_CREATED)
async def publish(
    body: ResourceIn, principal: ShakyoWriter, request: Request, response: Response
) -> ResourceOut:
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    resource_id = uuid7()
    async with pool.acquire() as conn, conn.transaction():
        await store.insert(conn, resource_id, body, principal.agency, principal.sub)
        await events.emit(conn, published(resource_id, 1, body), agency_id=principal.agency)
        row = await store.get(conn, resource_id)
    assert row is not None
    response.headers["ETag"] = etag(1)
    return _out(row)


@router.put("/{resource_id}")
async def revise(
    resource_id: UUID,
    body: ResourceIn,
    principal: ShakyoWriter,
    request: Request,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> ResourceOut:
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    async with pool.acquire() as conn, conn.transaction():
        row = await store.get(conn, resource_id, for_update=True)
        if row is None:
            raise _not_found(resource_id)
        if if_match is not None and not matches(if_match, row["version"]):
            raise Refused(
                409, "If-Match", "他の更新と競合しました / the resource changed since you read it"
            )
        if row["status"] == "withdrawn":
            raise Refused(409, "status", "廃止済みです / the resource was withdrawn")
        if json.loads(row["doc"]) != body.model_dump(mode="json"):
            version = row["version"] + 1
            await store.replace(conn, resource_id, version, body, principal.sub)
            await events.emit(
                conn, published(resource_id, version, body), agency_id=principal.agency
            )
            row = await store.get(conn, resource_id)
            assert row is not None
    response.headers["ETag"] = etag(row["version"])
    return _out(row)


@router.post("/{resource_id}/withdraw")
async def withdraw(
    resource_id: UUID,
    principal: ShakyoWriter,
    request: Request,
    body: WithdrawIn | None = None,
) -> ResourceOut:
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    on = (body.withdrawn_on if body else None) or today_jst()
    async with pool.acquire() as conn, conn.transaction():
        row = await store.get(conn, resource_id, for_update=True)
        if row is None:
            raise _not_found(resource_id)
        if row["status"] != "withdrawn":  # withdrawing twice publishes nothing new
            await store.withdraw(conn, resource_id, on, principal.sub)
            await events.emit(
                conn,
                ResourceWithdrawn(resource_id=resource_id, withdrawn_on=on),
                agency_id=principal.agency,
            )
            row = await store.get(conn, resource_id)
            assert row is not None
    return _out(row)


@router.get("/{resource_id}")
async def read(resource_id: UUID, _: AnyToken, request: Request, response: Response) -> ResourceOut:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        row = await store.get(conn, resource_id)
    if row is None:
        raise _not_found(resource_id)
    response.headers["ETag"] = etag(row["version"])
    return _out(row)


@router.get("")
async def search(
    _: AnyToken,
    request: Request,
    category: Annotated[str | None, Query(description="資源の種類")] = None,
    school_district_code: Annotated[str | None, Query(description="校区")] = None,
    program_code: Annotated[str | None, Query(description="事業")] = None,
    age: Annotated[int | None, Query(ge=0, le=120, description="対象年齢に含む年齢")] = None,
    include_withdrawn: bool = False,
) -> list[ResourceOut]:
    if category is not None and not codes.is_valid("resource_categories", category):
        raise Refused(422, "category", f"未知の資源の種類 / unknown category: {category}")
    if school_district_code is not None:
        check_district(school_district_code)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        rows = await store.search(
            conn,
            category=category,
            district=school_district_code,
            program=program_code,
            age=age,
            include_withdrawn=include_withdrawn,
        )
    return [_out(r) for r in rows]
