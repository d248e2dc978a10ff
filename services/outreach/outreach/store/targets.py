"""targets and stage_changes SQL."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from outreach.domain.stages import FIRST_STAGE, StageChange
from outreach.domain.targets import TargetIn


@dataclass(frozen=True)
class Target:
    """A stored target (one row of ``targets``); ``version`` backs its ETag."""

    id: UUID
    agency_id: str
    source: str
    description: str
    school_district_code: str | None
    case_id: UUID | None
    person_id: UUID | None
    stage: str
    stage_changed_on: date
    assigned_worker: str | None
    visit_interval_days: int | None
    registered_on: date
    status: str  # open | ended
    ended_on: date | None
    end_reason: str | None
    end_note: str | None
    referral_id: UUID | None
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class StageChangeRecord:
    from_stage: str
    to_stage: str
    changed_on: date
    reason: str | None
    changed_by: str


@dataclass(frozen=True)
class TargetListItem:
    """A work-list line: codes only, no description."""

    id: UUID
    source: str
    stage: str
    status: str
    school_district_code: str | None
    assigned_worker: str | None
    linked: bool
    registered_on: date


_COLUMNS = ", ".join(f.name for f in fields(Target))

# Columns PATCH may set (the names come from code, never from the request).
PATCHABLE = frozenset(
    {
        "description",
        "school_district_code",
        "case_id",
        "person_id",
        "assigned_worker",
        "visit_interval_days",
        "stage",
        "stage_changed_on",
    }
)


def _target(row: asyncpg.Record) -> Target:
    return Target(**dict(row))


async def insert(
    conn: asyncpg.Connection,
    target_id: UUID,
    data: TargetIn,
    *,
    agency_id: str,
    worker: str,
    registered_on: date,
    by: str,
) -> None:
    await conn.execute(
        "INSERT INTO targets (id, agency_id, source, description, school_district_code,"
        " case_id, person_id, stage, stage_changed_on, assigned_worker, visit_interval_days,"
        " registered_on, status, version, created_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $9, 'open', 1, $12)",
        target_id,
        agency_id,
        data.source,
        data.description,
        data.school_district_code,
        data.case_id,
        data.person_id,
        FIRST_STAGE,
        registered_on,
        worker,
        data.visit_interval_days,
        by,
    )


async def get(
    conn: asyncpg.Connection, target_id: UUID, *, for_update: bool = False
) -> Target | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM targets WHERE id = $1{lock}", target_id)
    return None if row is None else _target(row)


async def update(conn: asyncpg.Connection, target_id: UUID, updates: dict[str, Any]) -> Target:
    """Apply ``updates`` and bump the version (the ETag) in one statement."""
    unknown = set(updates) - PATCHABLE
    if unknown:
        raise ValueError(f"not patchable: {sorted(unknown)}")
    names = sorted(updates)
    sets = "".join(f", {n} = ${i}" for i, n in enumerate(names, start=2))
    row = await conn.fetchrow(
        f"UPDATE targets SET version = version + 1, updated_at = now(){sets}"
        f" WHERE id = $1 RETURNING {_COLUMNS}",
        target_id,
        *(updates[n] for n in names),
    )
    return _target(row)


async def insert_stage_change(
    conn: asyncpg.Connection, target_id: UUID, change: StageChange, by: str
) -> None:
    await conn.execute(
        "INSERT INTO stage_changes (target_id, from_stage, to_stage, changed_on, reason,"
        " changed_by) VALUES ($1, $2, $3, $4, $5, $6)",
        target_id,
        change.from_stage,
        change.to_stage,
        change.changed_on,
        change.reason,
        by,
    )


async def stage_history(conn: asyncpg.Connection, target_id: UUID) -> list[StageChangeRecord]:
    rows = await conn.fetch(
        "SELECT from_stage, to_stage, changed_on, reason, changed_by FROM stage_changes"
        " WHERE target_id = $1 ORDER BY id",
        target_id,
    )
    return [StageChangeRecord(**dict(r)) for r in rows]


async def end(
    conn: asyncpg.Connection,
    target_id: UUID,
    *,
    ended_on: date,
    reason: str,
    note: str | None,
    referral_id: UUID | None,
) -> Target:
    row = await conn.fetchrow(
        "UPDATE targets SET status = 'ended', ended_on = $2, end_reason = $3, end_note = $4,"
        " referral_id = $5, version = version + 1, updated_at = now()"
        f" WHERE id = $1 RETURNING {_COLUMNS}",
        target_id,
        ended_on,
        reason,
        note,
        referral_id,
    )
    return _target(row)


async def listing(
    conn: asyncpg.Connection, agency_id: str, status: str | None, worker: str | None
) -> list[TargetListItem]:
    rows = await conn.fetch(
        "SELECT id, source, stage, status, school_district_code, assigned_worker,"
        " case_id IS NOT NULL AS linked, registered_on FROM targets"
        " WHERE agency_id = $1 AND ($2::text IS NULL OR status = $2)"
        " AND ($3::text IS NULL OR assigned_worker = $3)"
        " ORDER BY registered_on DESC, id",
        agency_id,
        status,
        worker,
    )
    return [TargetListItem(**dict(r)) for r in rows]
