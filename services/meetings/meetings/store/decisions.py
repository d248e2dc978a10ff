"""決定事項 rows."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from meetings.domain.decisions import DecisionIn
from meetings.domain.roles import RoleIn


@dataclass(frozen=True)
class DecisionRecord:
    """One decision as minuted (shown with its item to those who see the item)."""

    id: UUID
    agenda_item_id: UUID
    outcome: str
    minutes: str | None
    reason_code: str | None
    end_kind: str | None
    evaluation: str | None
    next_review_on: date | None
    escalate_to: str | None
    roles: list[dict[str, Any]]
    decided_on: date

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PlanDecision:
    """A decision in a plan's history (ids, codes and dates: no minutes)."""

    id: UUID
    meeting_id: UUID
    agenda_item_id: UUID
    kind: str
    outcome: str
    reason_code: str | None
    end_kind: str | None
    next_review_on: date | None
    decided_on: date


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


async def of_meeting(conn: asyncpg.Connection, meeting_id: UUID) -> dict[UUID, DecisionRecord]:
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
        found[row["agenda_item_id"]] = DecisionRecord(**record)
    return found


async def of_plan(conn: asyncpg.Connection, plan_id: UUID) -> list[PlanDecision]:
    rows = await conn.fetch(
        "SELECT d.id, d.meeting_id, a.id AS agenda_item_id, a.kind, d.outcome, d.reason_code,"
        " d.end_kind, d.next_review_on, d.decided_on FROM decisions d"
        " JOIN agenda_items a ON a.id = d.agenda_item_id WHERE a.plan_id = $1"
        " ORDER BY d.decided_on, d.decided_at",
        plan_id,
    )
    return [PlanDecision(**dict(r)) for r in rows]
