"""Social-resource directory: publish, revise, withdraw (events), and look up (any token)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response, status

from community.api.deps import AnyStaff, CommunityOperator, Events, Pool, Today
from community.api.schemas import ResourceOut
from community.domain.resources import ResourceIn, WithdrawIn
from community.usecases import resources
from community.usecases.resources import Search
from kasane.web.etag import etag

router = APIRouter(prefix="/resources", tags=["社会資源 directory"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def publish(
    body: ResourceIn, principal: CommunityOperator, pool: Pool, events: Events, response: Response
) -> ResourceOut:
    resource = await resources.publish(pool, events, principal, body)
    response.headers["ETag"] = etag(resource.version)
    return ResourceOut.of(resource)


@router.put("/{resource_id}")
async def revise(
    resource_id: UUID,
    body: ResourceIn,
    principal: CommunityOperator,
    pool: Pool,
    events: Events,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> ResourceOut:
    resource = await resources.revise(pool, events, principal, resource_id, body, if_match)
    response.headers["ETag"] = etag(resource.version)
    return ResourceOut.of(resource)


@router.post("/{resource_id}/withdraw")
async def withdraw(
    resource_id: UUID,
    principal: CommunityOperator,
    pool: Pool,
    events: Events,
    clock: Today,
    body: WithdrawIn | None = None,
) -> ResourceOut:
    on = body.withdrawn_on if body else None
    resource = await resources.withdraw(pool, events, principal, resource_id, on, clock.today())
    return ResourceOut.of(resource)


@router.get("/{resource_id}")
async def read(resource_id: UUID, _: AnyStaff, pool: Pool, response: Response) -> ResourceOut:
    resource = await resources.read(pool, resource_id)
    response.headers["ETag"] = etag(resource.version)
    return ResourceOut.of(resource)


@router.get("")
async def search(
    _: AnyStaff,
    pool: Pool,
    category: Annotated[str | None, Query(description="資源の種類")] = None,
    school_district_code: Annotated[str | None, Query(description="校区")] = None,
    program_code: Annotated[str | None, Query(description="事業")] = None,
    age: Annotated[int | None, Query(ge=0, le=120, description="対象年齢に含む年齢")] = None,
    include_withdrawn: bool = False,
) -> list[ResourceOut]:
    query = Search(category, school_district_code, program_code, age, include_withdrawn)
    return [ResourceOut.of(r) for r in await resources.search(pool, query)]
