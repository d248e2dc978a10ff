"""SQL for the resource directory (own entries and community's read model)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from participation.domain.resources import ResourceIn
from participation.store._sql import parsed


@dataclass(frozen=True)
class Resource:
    """A row of the directory, with the number of placements active there."""

    resource_id: UUID
    source: str  # own | community
    version: int
    category: str
    organization: dict[str, Any] | None
    service: dict[str, Any] | None
    location: dict[str, Any] | None
    schedules: list[dict[str, Any]]
    school_district_code: str | None
    program_code: str | None
    age_min: int | None
    age_max: int | None
    capacity: int | None  # as published (community) or entered (own)
    capacity_override: int | None  # places アソウ set aside for participants
    withdrawn_on: date | None
    created_by: str | None
    updated_at: datetime
    in_use: int


def _resource(row: asyncpg.Record) -> Resource:
    values = dict(row)
    for column in ("organization", "service", "location", "schedules"):
        values[column] = parsed(values[column])
    return Resource(**values)


_IN_USE = (
    "(SELECT count(*) FROM placements p WHERE p.resource_id = r.resource_id"
    " AND p.status = 'active') AS in_use"
)


async def insert_own(
    conn: asyncpg.Connection, resource_id: UUID, data: ResourceIn, created_by: str
) -> None:
    await conn.execute(
        "INSERT INTO resources (resource_id, source, category, organization, service, location,"
        " schedules, school_district_code, age_min, age_max, capacity, created_by)"
        " VALUES ($1, 'own', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        resource_id,
        data.service.category,
        data.organization.model_dump_json(),
        data.service.model_dump_json(exclude={"category"}),
        data.location.model_dump_json(exclude={"school_district_code"}),
        json.dumps([s.model_dump(mode="json") for s in data.schedules]),
        data.location.school_district_code,
        data.eligibility.age_min,
        data.eligibility.age_max,
        data.capacity,
        created_by,
    )


async def upsert_published(
    conn: asyncpg.Connection,
    resource_id: UUID,
    *,
    version: int,
    category: str,
    school_district_code: str | None,
    program_code: str | None,
    capacity: int | None,
    age_min: int | None,
    age_max: int | None,
) -> None:
    # Only a newer version replaces what we hold, so redelivery or reordering is harmless;
    # アソウ's capacity_override survives a republication.
    await conn.execute(
        "INSERT INTO resources (resource_id, source, version, category, school_district_code,"
        " program_code, capacity, age_min, age_max) VALUES ($1, 'community', $2, $3, $4, $5,"
        " $6, $7, $8) ON CONFLICT (resource_id) DO UPDATE SET version = EXCLUDED.version,"
        " category = EXCLUDED.category, school_district_code = EXCLUDED.school_district_code,"
        " program_code = EXCLUDED.program_code, capacity = EXCLUDED.capacity,"
        " age_min = EXCLUDED.age_min, age_max = EXCLUDED.age_max, withdrawn_on = NULL,"
        " updated_at = now() WHERE resources.source = 'community'"
        " AND resources.version < EXCLUDED.version",
        resource_id,
        version,
        category,
        school_district_code,
        program_code,
        capacity,
        age_min,
        age_max,
    )


async def withdraw(conn: asyncpg.Connection, resource_id: UUID, withdrawn_on: date) -> None:
    await conn.execute(
        "UPDATE resources SET withdrawn_on = $2, updated_at = now()"
        " WHERE resource_id = $1 AND source = 'community'",
        resource_id,
        withdrawn_on,
    )


async def get(
    conn: asyncpg.Connection, resource_id: UUID, *, for_update: bool = False
) -> Resource | None:
    # The row lock serialises placements on one resource, so two cannot take the last place.
    if for_update:
        await conn.execute("SELECT 1 FROM resources WHERE resource_id = $1 FOR UPDATE", resource_id)
    row = await conn.fetchrow(
        f"SELECT r.*, {_IN_USE} FROM resources r WHERE r.resource_id = $1", resource_id
    )
    return None if row is None else _resource(row)


async def listing(
    conn: asyncpg.Connection,
    *,
    category: str | None = None,
    school_district_code: str | None = None,
    include_withdrawn: bool = False,
) -> list[Resource]:
    clauses: list[str] = []
    args: list[object] = []
    if not include_withdrawn:
        clauses.append("r.withdrawn_on IS NULL")
    if category is not None:
        args.append(category)
        clauses.append(f"r.category = ${len(args)}")
    if school_district_code is not None:
        args.append(school_district_code)
        clauses.append(f"r.school_district_code = ${len(args)}")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = await conn.fetch(
        f"SELECT r.*, {_IN_USE} FROM resources r{where} ORDER BY r.category, r.resource_id",
        *args,
    )
    return [_resource(r) for r in rows]


async def set_capacity(
    conn: asyncpg.Connection, resource_id: UUID, source: str, capacity: int | None
) -> None:
    column = "capacity" if source == "own" else "capacity_override"
    await conn.execute(
        f"UPDATE resources SET {column} = $2, updated_at = now() WHERE resource_id = $1",
        resource_id,
        capacity,
    )
