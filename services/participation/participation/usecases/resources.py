"""The resource directory: アソウ's own entries and the places it sets aside. Places, not
persons: no access audit."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from kasane.auth import Principal
from kasane.ids import uuid7
from participation.domain.participants import check_operator
from participation.domain.resources import (
    CapacityIn,
    ResourceIn,
    check_new_capacity,
    resource_found,
)
from participation.store import resources as store
from participation.store.resources import Resource


async def create(pool: asyncpg.Pool, principal: Principal, body: ResourceIn) -> UUID:
    check_operator(principal.agency)
    resource_id = uuid7()
    async with pool.acquire() as conn, conn.transaction():
        await store.insert_own(conn, resource_id, body, principal.sub)
    return resource_id


async def listing(
    pool: asyncpg.Pool, category: str | None, school_district_code: str | None
) -> list[Resource]:
    async with pool.acquire() as conn:
        return await store.listing(
            conn, category=category, school_district_code=school_district_code
        )


async def get(pool: asyncpg.Pool, resource_id: UUID) -> Resource:
    async with pool.acquire() as conn:
        return resource_found(await store.get(conn, resource_id))


async def set_capacity(
    pool: asyncpg.Pool, principal: Principal, resource_id: UUID, body: CapacityIn
) -> Resource:
    """Own resources: their capacity. Community's: the places アソウ may use there."""
    check_operator(principal.agency)
    async with pool.acquire() as conn, conn.transaction():
        row = resource_found(await store.get(conn, resource_id, for_update=True))
        check_new_capacity(body.capacity, row.in_use)
        await store.set_capacity(conn, resource_id, row.source, body.capacity)
        return resource_found(await store.get(conn, resource_id))
