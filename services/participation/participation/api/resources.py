"""The resource directory API. Places, not persons: readable by every signed-in role;
アソウ's coordinators and managers add entries and set capacity."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from participation.api.deps import AnyStaff, OperatorStaff, Pool
from participation.api.schemas import ResourceCreated, ResourceView, resource_view
from participation.domain.resources import CapacityIn, ResourceIn
from participation.usecases import resources

router = APIRouter(prefix="/resources", tags=["社会資源 resources"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_resource(
    body: ResourceIn, principal: OperatorStaff, pool: Pool
) -> ResourceCreated:
    return ResourceCreated(resource_id=await resources.create(pool, principal, body))


@router.get("")
async def list_resources(
    principal: AnyStaff,
    pool: Pool,
    category: Annotated[str | None, Query()] = None,
    school_district_code: Annotated[str | None, Query()] = None,
) -> list[ResourceView]:
    rows = await resources.listing(pool, category, school_district_code)
    return [resource_view(r) for r in rows]


@router.get("/{resource_id}")
async def get_resource(resource_id: UUID, principal: AnyStaff, pool: Pool) -> ResourceView:
    return resource_view(await resources.get(pool, resource_id))


@router.put("/{resource_id}/capacity")
async def set_capacity(
    resource_id: UUID, body: CapacityIn, principal: OperatorStaff, pool: Pool
) -> ResourceView:
    """Own resources: their capacity. Community's: the places アソウ may use there."""
    return resource_view(await resources.set_capacity(pool, principal, resource_id, body))
