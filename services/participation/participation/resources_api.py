"""The resource directory API. Places, not persons: readable by every signed-in role."""

from __future__ import annotations

import json
from typing import Annotated, Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel

from kasane.auth import Principal
from kasane.auth.dependencies import authenticated, require_roles
from kasane.ids import uuid7
from kasane.types import IsoDate
from kasane.web.errors import Refused
from participation import codes, resources_store
from participation.participants import check_operator
from participation.resources import (
    CapacityIn,
    ResourceIn,
    check_new_capacity,
    effective_capacity,
    free_places,
)

router = APIRouter(prefix="/resources", tags=["社会資源 resources"])

Editor = Annotated[Principal, Depends(require_roles("coordinator", "manager"))]
Reader = Annotated[Principal, Depends(authenticated)]


class ResourceView(BaseModel):
    resource_id: UUID
    source: str  # own | community
    category: str
    category_label: str | None
    organization: dict[str, Any] | None
    service: dict[str, Any] | None
    location: dict[str, Any] | None
    schedules: list[dict[str, Any]]
    school_district_code: str | None
    program_code: str | None
    eligibility: dict[str, int | None]
    capacity: int | None  # in force: アソウ's figure, else the published one
    published_capacity: int | None
    in_use: int
    free: int | None
    withdrawn_on: IsoDate | None


class ResourceCreated(BaseModel):
    resource_id: UUID


def view(row: asyncpg.Record) -> ResourceView:
    def parsed(value: str | None) -> Any:
        return json.loads(value) if value is not None else None

    capacity = effective_capacity(row["capacity"], row["capacity_override"])
    return ResourceView(
        resource_id=row["resource_id"],
        source=row["source"],
        category=row["category"],
        category_label=codes.OWN_CATEGORIES.get(row["category"]),
        organization=parsed(row["organization"]),
        service=parsed(row["service"]),
        location=parsed(row["location"]),
        schedules=parsed(row["schedules"]) or [],
        school_district_code=row["school_district_code"],
        program_code=row["program_code"],
        eligibility={"age_min": row["age_min"], "age_max": row["age_max"]},
        capacity=capacity,
        published_capacity=row["capacity"],
        in_use=row["in_use"],
        free=free_places(capacity, row["in_use"]),
        withdrawn_on=row["withdrawn_on"],
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_resource(body: ResourceIn, principal: Editor, request: Request) -> ResourceCreated:
    check_operator(principal.agency)
    resource_id = uuid7()
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        await resources_store.insert_own(conn, resource_id, body, principal.sub)
    return ResourceCreated(resource_id=resource_id)


@router.get("")
async def list_resources(
    principal: Reader,
    request: Request,
    category: Annotated[str | None, Query()] = None,
    school_district_code: Annotated[str | None, Query()] = None,
) -> list[ResourceView]:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        rows = await resources_store.listing(
            conn, category=category, school_district_code=school_district_code
        )
    return [view(r) for r in rows]


@router.get("/{resource_id}")
async def get_resource(resource_id: UUID, principal: Reader, request: Request) -> ResourceView:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        row = await resources_store.get(conn, resource_id)
    if row is None:
        raise Refused(404, "resource_id", "社会資源が見つかりません / resource not found")
    return view(row)


@router.put("/{resource_id}/capacity")
async def set_capacity(
    resource_id: UUID, body: CapacityIn, principal: Editor, request: Request
) -> ResourceView:
    """Own resources: their capacity. Community's: the places アソウ may use there."""
    check_operator(principal.agency)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        row = await resources_store.get(conn, resource_id, for_update=True)
        if row is None:
            raise Refused(404, "resource_id", "社会資源が見つかりません / resource not found")
        check_new_capacity(body.capacity, row["in_use"])
        await resources_store.set_capacity(conn, resource_id, row["source"], body.capacity)
        updated = await resources_store.get(conn, resource_id)
    assert updated is not None
    return view(updated)
