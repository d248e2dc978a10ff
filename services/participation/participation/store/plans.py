"""SQL for 参加支援プラン and the meeting's decisions on them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from participation.domain.participants import PlanIn
from participation.store._sql import parsed


@dataclass(frozen=True)
class Plan:
    plan_id: UUID
    participant_id: UUID
    wishes: str
    goals: str
    planned_steps: list[dict[str, Any]]
    status: str
    submitted_on: date
    review_on: date | None
    decided_on: date | None
    meeting_id: UUID | None
    decision_reason_code: str | None
    submitted_by: str


async def insert_plan(
    conn: asyncpg.Connection,
    plan_id: UUID,
    participant_id: UUID,
    data: PlanIn,
    submitted_on: date,
    submitted_by: str,
) -> None:
    await conn.execute(
        "INSERT INTO plans (plan_id, participant_id, wishes, goals, planned_steps, status,"
        " submitted_on, review_on, submitted_by) VALUES ($1, $2, $3, $4, $5, 'submitted', $6,"
        " $7, $8)",
        plan_id,
        participant_id,
        data.wishes,
        data.goals,
        json.dumps([s.model_dump() for s in data.steps], ensure_ascii=False),
        submitted_on,
        data.review_on,
        submitted_by,
    )


async def decide_plan(
    conn: asyncpg.Connection,
    plan_id: UUID,
    status: str,
    decided_on: date,
    meeting_id: UUID,
    reason_code: str | None,
) -> UUID | None:
    """Record the meeting's decision on a submitted plan: its participant, or None if the
    plan is not ours or not open."""
    found: UUID | None = await conn.fetchval(
        "UPDATE plans SET status = $2, decided_on = $3, meeting_id = $4,"
        " decision_reason_code = $5 WHERE plan_id = $1 AND status = 'submitted'"
        " RETURNING participant_id",
        plan_id,
        status,
        decided_on,
        meeting_id,
        reason_code,
    )
    return found


async def plans_of(conn: asyncpg.Connection, participant_id: UUID) -> list[Plan]:
    rows = await conn.fetch(
        "SELECT * FROM plans WHERE participant_id = $1 ORDER BY submitted_on, plan_id",
        participant_id,
    )
    return [Plan(**{**dict(r), "planned_steps": parsed(r["planned_steps"])}) for r in rows]
