"""resources SQL: the HSDS document as given, plus the columns the directory filters on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from community.domain.resources import ResourceIn


@dataclass(frozen=True)
class Resource:
    id: UUID
    version: int
    status: str  # published | withdrawn
    doc: dict[str, Any]  # the ResourceIn as published (JSON mode)
    withdrawn_on: date | None
    updated_at: datetime


def _resource(row: asyncpg.Record) -> Resource:
    return Resource(
        id=row["id"],
        version=row["version"],
        status=row["status"],
        doc=json.loads(row["doc"]),
        withdrawn_on=row["withdrawn_on"],
        updated_at=row["updated_at"],
    )


def _columns(data: ResourceIn) -> tuple[Any, ...]:
    return (
        json.dumps(data.model_dump(mode="json"), ensure_ascii=False),
        data.service.category,
        data.location.school_district_code,
        data.service.program_code,
        data.capacity,
        data.eligibility.age_min,
        data.eligibility.age_max,
    )


async def insert(
    conn: asyncpg.Connection, resource_id: UUID, data: ResourceIn, agency_id: str, by: str
) -> None:
    await conn.execute(
        "INSERT INTO resources (id, version, status, doc, category, school_district_code,"
        " program_code, capacity, age_min, age_max, agency_id, updated_by)"
        " VALUES ($1, 1, 'published', $2::jsonb, $3, $4, $5, $6, $7, $8, $9, $10)",
        resource_id,
        *_columns(data),
        agency_id,
        by,
    )


async def get(
    conn: asyncpg.Connection, resource_id: UUID, *, for_update: bool = False
) -> Resource | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(f"SELECT * FROM resources WHERE id = $1{lock}", resource_id)
    return None if row is None else _resource(row)


async def replace(
    conn: asyncpg.Connection, resource_id: UUID, version: int, data: ResourceIn, by: str
) -> None:
    await conn.execute(
        "UPDATE resources SET version = $2, doc = $3::jsonb, category = $4,"
        " school_district_code = $5, program_code = $6, capacity = $7, age_min = $8,"
        " age_max = $9, updated_by = $10, updated_at = now() WHERE id = $1",
        resource_id,
        version,
        *_columns(data),
        by,
    )


async def withdraw(conn: asyncpg.Connection, resource_id: UUID, on: date, by: str) -> None:
    await conn.execute(
        "UPDATE resources SET status = 'withdrawn', withdrawn_on = $2, updated_by = $3,"
        " updated_at = now() WHERE id = $1",
        resource_id,
        on,
        by,
    )


async def search(
    conn: asyncpg.Connection,
    *,
    category: str | None,
    district: str | None,
    program: str | None,
    age: int | None,
    include_withdrawn: bool,
) -> list[Resource]:
    rows = await conn.fetch(
        "SELECT * FROM resources WHERE ($1::text IS NULL OR category = $1)"
        " AND ($2::text IS NULL OR school_district_code = $2)"
        " AND ($3::text IS NULL OR program_code = $3)"
        " AND ($4::int IS NULL OR ((age_min IS NULL OR age_min <= $4)"
        "      AND (age_max IS NULL OR age_max >= $4)))"
        " AND ($5 OR status = 'published')"
        " ORDER BY category, school_district_code NULLS LAST, created_at, id",
        category,
        district,
        program,
        age,
        include_withdrawn,
    )
    return [_resource(r) for r in rows]
