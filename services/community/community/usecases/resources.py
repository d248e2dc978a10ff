"""Social-resource directory: publish, revise, withdraw (each an event), read and search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from community.domain.resources import (
    WITHDRAWN,
    ResourceIn,
    changes,
    check_category,
    check_revisable,
    not_found,
    published,
)
from community.store import resources as store
from community.store.resources import Resource
from kasane.auth import Principal
from kasane.errors import Conflict
from kasane.events.community import ResourceWithdrawn
from kasane.ids import uuid7
from kasane.types import check_school_district
from kasane.web.etag import matches
from kasane.web.events import EventWriter


@dataclass(frozen=True)
class Search:
    category: str | None
    school_district_code: str | None
    program_code: str | None
    age: int | None
    include_withdrawn: bool


async def _current(conn: asyncpg.Connection, resource_id: UUID) -> Resource:
    resource = await store.get(conn, resource_id)
    if resource is None:
        raise not_found(resource_id)
    return resource


async def publish(
    pool: asyncpg.Pool, events: EventWriter, principal: Principal, data: ResourceIn
) -> Resource:
    resource_id = uuid7()
    async with pool.acquire() as conn, conn.transaction():
        await store.insert(conn, resource_id, data, principal.agency, principal.sub)
        await events.emit(conn, published(resource_id, 1, data), agency_id=principal.agency)
        return await _current(conn, resource_id)


async def revise(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    resource_id: UUID,
    data: ResourceIn,
    if_match: str | None,
) -> Resource:
    """A new version if the document changed; the same document again changes nothing."""
    async with pool.acquire() as conn, conn.transaction():
        resource = await store.get(conn, resource_id, for_update=True)
        if resource is None:
            raise not_found(resource_id)
        # If-Match is optional here (no 428), and a stale tag is a 409 (not 412): as before.
        if if_match is not None and not matches(if_match, resource.version):
            raise Conflict(
                "If-Match", "他の更新と競合しました / the resource changed since you read it"
            )
        check_revisable(resource.status)
        if not changes(resource.doc, data):
            return resource
        version = resource.version + 1
        await store.replace(conn, resource_id, version, data, principal.sub)
        await events.emit(conn, published(resource_id, version, data), agency_id=principal.agency)
        return await _current(conn, resource_id)


async def withdraw(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    resource_id: UUID,
    withdrawn_on: date | None,
    today: date,
) -> Resource:
    on = withdrawn_on or today
    async with pool.acquire() as conn, conn.transaction():
        resource = await store.get(conn, resource_id, for_update=True)
        if resource is None:
            raise not_found(resource_id)
        if resource.status == WITHDRAWN:
            return resource  # withdrawing twice publishes nothing new
        await store.withdraw(conn, resource_id, on, principal.sub)
        await events.emit(
            conn,
            ResourceWithdrawn(resource_id=resource_id, withdrawn_on=on),
            agency_id=principal.agency,
        )
        return await _current(conn, resource_id)


async def read(pool: asyncpg.Pool, resource_id: UUID) -> Resource:
    async with pool.acquire() as conn:
        return await _current(conn, resource_id)


async def search(pool: asyncpg.Pool, query: Search) -> list[Resource]:
    check_category(query.category)
    if query.school_district_code is not None:
        check_school_district(query.school_district_code)
    async with pool.acquire() as conn:
        return await store.search(
            conn,
            category=query.category,
            district=query.school_district_code,
            program=query.program_code,
            age=query.age,
            include_withdrawn=query.include_withdrawn,
        )
