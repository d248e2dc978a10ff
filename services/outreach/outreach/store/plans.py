"""plans SQL, including the transitions meetings' decisions cause."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from uuid import UUID

import asyncpg

from outreach.domain.plans import PlanIn


@dataclass(frozen=True)
class Plan:
    """A stored plan; status submitted → active | returned, active → ended."""

    plan_id: UUID
    target_id: UUID
    case_id: UUID
    status: str
    goals: list[str]
    wishes: str | None
    submitted_on: date
    review_on: date | None
    approved_on: date | None
    meeting_id: UUID | None
    returned_on: date | None
    return_reason: str | None
    ended_on: date | None
    created_by: str
    created_at: datetime


_COLUMNS = ", ".join(f.name for f in fields(Plan))


async def count_open(conn: asyncpg.Connection, target_id: UUID) -> int:
    n: int = await conn.fetchval(
        "SELECT count(*) FROM plans WHERE target_id = $1 AND status IN ('submitted', 'active')",
        target_id,
    )
    return n


async def insert(
    conn: asyncpg.Connection,
    plan_id: UUID,
    target_id: UUID,
    case_id: UUID,
    data: PlanIn,
    submitted_on: date,
    by: str,
) -> None:
    await conn.execute(
        "INSERT INTO plans (plan_id, target_id, case_id, status, goals, wishes, submitted_on,"
        " review_on, created_by) VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7, $8)",
        plan_id,
        target_id,
        case_id,
        data.goals,
        data.wishes,
        submitted_on,
        data.review_on,
        by,
    )


async def for_target(conn: asyncpg.Connection, target_id: UUID) -> list[Plan]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM plans WHERE target_id = $1 ORDER BY submitted_on, created_at",
        target_id,
    )
    return [Plan(**{**dict(r), "goals": list(r["goals"])}) for r in rows]


async def get(conn: asyncpg.Connection, plan_id: UUID) -> Plan | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM plans WHERE plan_id = $1", plan_id)
    return None if row is None else Plan(**{**dict(row), "goals": list(row["goals"])})


async def approve(
    conn: asyncpg.Connection,
    plan_id: UUID,
    approved_on: date,
    meeting_id: UUID,
    review_on: date | None,
) -> None:
    await conn.execute(
        "UPDATE plans SET status = 'active', approved_on = $2, meeting_id = $3,"
        " review_on = coalesce($4, review_on) WHERE plan_id = $1 AND status = 'submitted'",
        plan_id,
        approved_on,
        meeting_id,
        review_on,
    )


async def return_(
    conn: asyncpg.Connection, plan_id: UUID, returned_on: date, meeting_id: UUID, reason: str
) -> None:
    await conn.execute(
        "UPDATE plans SET status = 'returned', returned_on = $2, meeting_id = $3,"
        " return_reason = $4 WHERE plan_id = $1 AND status = 'submitted'",
        plan_id,
        returned_on,
        meeting_id,
        reason,
    )


async def end(conn: asyncpg.Connection, plan_id: UUID, ended_on: date) -> None:
    await conn.execute(
        "UPDATE plans SET status = 'ended', ended_on = $2"
        " WHERE plan_id = $1 AND status IN ('submitted', 'active')",
        plan_id,
        ended_on,
    )
