"""SQL for placements (受け入れ) and steps (段階の記録)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from uuid import UUID

import asyncpg

from participation.store._sql import insert_sql


@dataclass(frozen=True)
class NewPlacement:
    placement_id: UUID
    participant_id: UUID
    resource_id: UUID
    started_on: date
    planned_end_on: date | None
    status: str = "active"


@dataclass(frozen=True)
class Placement:
    placement_id: UUID
    participant_id: UUID
    resource_id: UUID
    status: str
    started_on: date
    planned_end_on: date | None
    ended_on: date | None
    outcome_code: str | None
    category: str  # the resource's, for the view and the events


@dataclass(frozen=True)
class Step:
    step_id: UUID
    participant_id: UUID
    stage: str
    reached_on: date
    note: str | None
    recorded_by: str
    recorded_at: datetime | None = None  # set by the database


async def insert_placement(conn: asyncpg.Connection, placement: NewPlacement) -> None:
    row = asdict(placement)
    await conn.execute(insert_sql("placements", row), *row.values())


_WITH_CATEGORY = "SELECT p.*, r.category FROM placements p JOIN resources r USING (resource_id)"


async def get_placement(
    conn: asyncpg.Connection, participant_id: UUID, placement_id: UUID
) -> Placement | None:
    row = await conn.fetchrow(
        f"{_WITH_CATEGORY} WHERE p.placement_id = $1 AND p.participant_id = $2 FOR UPDATE OF p",
        placement_id,
        participant_id,
    )
    return None if row is None else Placement(**dict(row))


async def end_placement(
    conn: asyncpg.Connection, placement_id: UUID, ended_on: date, outcome: str
) -> None:
    await conn.execute(
        "UPDATE placements SET status = 'ended', ended_on = $2, outcome_code = $3"
        " WHERE placement_id = $1",
        placement_id,
        ended_on,
        outcome,
    )


async def placements_of(
    conn: asyncpg.Connection, participant_id: UUID, *, only_active: bool = False
) -> list[Placement]:
    active = " AND p.status = 'active'" if only_active else ""
    rows = await conn.fetch(
        f"{_WITH_CATEGORY} WHERE p.participant_id = $1{active}"
        " ORDER BY p.started_on, p.placement_id",
        participant_id,
    )
    return [Placement(**dict(r)) for r in rows]


async def insert_step(conn: asyncpg.Connection, step: Step) -> None:
    row = {k: v for k, v in asdict(step).items() if k != "recorded_at"}
    await conn.execute(insert_sql("steps", row), *row.values())


async def steps_of(conn: asyncpg.Connection, participant_id: UUID) -> list[Step]:
    rows = await conn.fetch(
        "SELECT * FROM steps WHERE participant_id = $1 ORDER BY reached_on, recorded_at",
        participant_id,
    )
    return [Step(**dict(r)) for r in rows]
