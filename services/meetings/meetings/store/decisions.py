"""決定事項 rows."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from meetings.domain.decisions import DecisionIn
from meetings.domain.roles import RoleIn


async def insert(
    conn: asyncpg.Connection,
    decision_id: UUID,
    meeting_id: UUID,
    body: DecisionIn,
    roles: list[RoleIn],
    decided_on: date,
    decided_by: str,
) -> None:
    await conn.execute(
        "INSERT INTO decisions (id, agenda_item_id, meeting_id, outcome, minutes, reason_code,"
        " end_kind, evaluation, next_review_on, escalate_to, roles, decided_on, decided_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)",
        decision_id,
        body.agenda_item_id,
        meeting_id,
        body.outcome,
        body.minutes,
        body.reason_code,
        body.end_kind,
        body.evaluation,
        body.next_review_on,
        body.escalate_to,
        json.dumps([r.model_dump() for r in roles], ensure_ascii=False),
        decided_on,
        decided_by,
    )


async def of_meeting(conn: asyncpg.Connection, meeting_id: UUID) -> dict[UUID, dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT id, agenda_item_id, outcome, minutes, reason_code, end_kind, evaluation,"
        " next_review_on, escalate_to, roles, decided_on FROM decisions WHERE meeting_id = $1",
        meeting_id,
    )
    found = {}
    for row in rows:
        record = dict(row)
        roles = record["roles"]
        record["roles"] = json.loads(roles) if isinstance(roles, str) else roles
        found[row["agenda_item_id"]] = record
    return found


async def of_plan(conn: asyncpg.Connection, plan_id: UUID) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT d.id, d.meeting_id, a.id AS agenda_item_id, a.kind, d.outcome, d.reason_code,"
        " d.end_kind, d.next_review_on, d.decided_on FROM decisions d"
        " JOIN agenda_items a ON a.id = d.agenda_item_id WHERE a.plan_id = $1"
        " ORDER BY d.decided_on, d.decided_at",
        plan_id,
    )
    return [dict(r) for r in rows]
