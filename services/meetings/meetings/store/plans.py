"""プラン rows and their 役割分担."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from meetings.domain.decisions import PlanChange
from meetings.domain.plans import Plan, PlanContent
from meetings.domain.roles import RoleIn


@dataclass(frozen=True)
class PlanDates:
    """A plan's dates, codes and version beyond the domain's ``Plan`` (for reading it)."""

    submitted_on: date | None
    review_on: date | None
    approved_on: date | None
    approved_meeting_id: UUID | None
    returned_on: date | None
    return_reason_code: str | None
    ended_on: date | None
    end_kind: str | None
    end_reason_code: str | None
    version: int


@dataclass(frozen=True)
class ActiveRole:
    """A role in force (decided in a meeting)."""

    agency_id: str
    role_code: str
    lead: bool
    meeting_id: UUID
    assigned_on: date


@dataclass(frozen=True)
class PlanListed:
    """A line of 社協's plan list (ids, programs, dates: no content)."""

    id: UUID
    case_id: UUID
    program: str
    status: str
    submitted_on: date | None
    review_on: date | None
    approved_on: date | None
    ended_on: date | None
    end_kind: str | None
    # The undecided appropriateness item on a meeting still to be held (the queue), if any.
    queued_meeting_id: UUID | None = None
    queued_meeting_date: date | None = None
    agenda_item_id: UUID | None = None


_COLUMNS = "id, case_id, program, status, submitted_on, review_on, approved_on, content, goal_codes"


def _to_plan(row: Any) -> Plan:
    content = row["content"]
    return Plan(
        id=row["id"],
        case_id=row["case_id"],
        program=row["program"],
        status=row["status"],
        submitted_on=row["submitted_on"],
        review_on=row["review_on"],
        approved_on=row["approved_on"],
        content=json.loads(content) if isinstance(content, str) else content,
        goal_codes=list(row["goal_codes"]) if row["goal_codes"] is not None else None,
    )


def _content_json(content: PlanContent) -> str:
    return content.model_dump_json(exclude={"case_id", "submit"})


async def get(conn: asyncpg.Connection, plan_id: UUID, *, lock: bool = False) -> Plan | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM plans WHERE id = $1" + (" FOR UPDATE" if lock else ""), plan_id
    )
    return _to_plan(row) if row else None


async def dates(conn: asyncpg.Connection, plan_id: UUID) -> PlanDates | None:
    row = await conn.fetchrow(
        "SELECT submitted_on, review_on, approved_on, approved_meeting_id, returned_on,"
        " return_reason_code, ended_on, end_kind, end_reason_code, version"
        " FROM plans WHERE id = $1",
        plan_id,
    )
    return PlanDates(**dict(row)) if row else None


async def insert_multiagency(
    conn: asyncpg.Connection,
    plan_id: UUID,
    case_id: UUID,
    content: PlanContent,
    status: str,
    submitted_on: date | None,
    written_by: str,
) -> None:
    await conn.execute(
        "INSERT INTO plans (id, case_id, program, status, submitted_on, review_on, content,"
        " written_by) VALUES ($1, $2, 'multiagency', $3, $4, $5, $6::jsonb, $7)",
        plan_id,
        case_id,
        status,
        submitted_on,
        content.review_on,
        _content_json(content),
        written_by,
    )


async def revise(
    conn: asyncpg.Connection, plan_id: UUID, content: PlanContent, written_by: str
) -> None:
    await conn.execute(
        "UPDATE plans SET content = $2::jsonb, review_on = $3, written_by = $4,"
        " version = version + 1, updated_at = now() WHERE id = $1",
        plan_id,
        _content_json(content),
        content.review_on,
        written_by,
    )


async def submit(conn: asyncpg.Connection, plan_id: UUID, submitted_on: date) -> None:
    await conn.execute(
        "UPDATE plans SET status = 'submitted', submitted_on = $2, updated_at = now()"
        " WHERE id = $1",
        plan_id,
        submitted_on,
    )


async def upsert_submitted(
    conn: asyncpg.Connection,
    plan_id: UUID,
    case_id: UUID,
    program: str,
    submitted_on: date,
    review_on: date | None,
    owner_ref: UUID | None,
    goal_codes: list[str] | None = None,
) -> None:
    """A plan of another program (or our own event replayed) handed in for approval."""
    await conn.execute(
        "INSERT INTO plans (id, case_id, program, status, submitted_on, review_on, owner_ref,"
        " goal_codes) VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7)"
        " ON CONFLICT (id) DO UPDATE SET status = 'submitted', submitted_on = $4,"
        " review_on = coalesce($5, plans.review_on),"
        " goal_codes = coalesce($7, plans.goal_codes), updated_at = now()",
        plan_id,
        case_id,
        program,
        submitted_on,
        review_on,
        owner_ref,
        goal_codes,
    )


async def apply_change(conn: asyncpg.Connection, plan_id: UUID, change: PlanChange) -> None:
    await conn.execute(
        "UPDATE plans SET status = $2,"
        " approved_on = coalesce($3, approved_on),"
        " approved_meeting_id = coalesce($4, approved_meeting_id),"
        " returned_on = coalesce($5, returned_on),"
        " return_reason_code = coalesce($6, return_reason_code),"
        " review_on = coalesce($7, review_on),"
        " ended_on = $8, end_kind = $9, end_reason_code = $10, updated_at = now()"
        " WHERE id = $1",
        plan_id,
        change.status,
        change.approved_on,
        change.approved_meeting_id,
        change.returned_on,
        change.return_reason_code,
        change.review_on,
        change.ended_on,
        change.end_kind,
        change.end_reason_code,
    )
    if change.status == "ended":
        # Role-based access ends with the plan.
        await conn.execute("UPDATE plan_roles SET active = false WHERE plan_id = $1", plan_id)


async def assign_roles(
    conn: asyncpg.Connection,
    plan_id: UUID,
    decision_id: UUID,
    meeting_id: UUID,
    assigned_on: date,
    roles: list[RoleIn],
) -> None:
    """New roles replace the plan's current ones."""
    await conn.execute("UPDATE plan_roles SET active = false WHERE plan_id = $1", plan_id)
    await conn.executemany(
        "INSERT INTO plan_roles (decision_id, plan_id, agency_id, role_code, lead, meeting_id,"
        " assigned_on) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            (decision_id, plan_id, r.agency_id, r.role_code, r.lead, meeting_id, assigned_on)
            for r in roles
        ],
    )


async def active_roles(conn: asyncpg.Connection, plan_id: UUID) -> list[ActiveRole]:
    rows = await conn.fetch(
        "SELECT agency_id, role_code, lead, meeting_id, assigned_on FROM plan_roles"
        " WHERE plan_id = $1 AND active ORDER BY lead DESC, agency_id, role_code",
        plan_id,
    )
    return [ActiveRole(**dict(r)) for r in rows]


async def waiting(conn: asyncpg.Connection, case_id: UUID | None = None) -> list[Plan]:
    """Submitted plans with no undecided item on a meeting still to be held."""
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM plans p WHERE status = 'submitted'"
        " AND ($1::uuid IS NULL OR case_id = $1)"
        " AND NOT EXISTS (SELECT 1 FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id"
        "   WHERE a.plan_id = p.id AND a.kind = 'plan_appropriateness'"
        "   AND m.status = 'scheduled'"
        "   AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.agenda_item_id = a.id))"
        " ORDER BY submitted_on, id",
        case_id,
    )
    return [_to_plan(r) for r in rows]


async def listed(conn: asyncpg.Connection, status: str | None) -> list[PlanListed]:
    rows = await conn.fetch(
        "SELECT p.id, p.case_id, p.program, p.status, p.submitted_on, p.review_on,"
        " p.approved_on, p.ended_on, p.end_kind, q.meeting_id AS queued_meeting_id,"
        " q.meeting_date AS queued_meeting_date, q.item_id AS agenda_item_id"
        " FROM plans p LEFT JOIN LATERAL (SELECT a.meeting_id, m.meeting_date, a.id AS item_id"
        "   FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id"
        "   WHERE a.plan_id = p.id AND a.kind = 'plan_appropriateness'"
        "   AND m.status = 'scheduled'"
        "   AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.agenda_item_id = a.id)"
        "   ORDER BY m.meeting_date LIMIT 1) q ON true"
        " WHERE ($1::text IS NULL OR p.status = $1)"
        " ORDER BY p.created_at, p.id",
        status,
    )
    return [PlanListed(**dict(r)) for r in rows]


async def ids_of_case(conn: asyncpg.Connection, case_id: UUID) -> list[UUID]:
    rows = await conn.fetch(
        "SELECT id FROM plans WHERE case_id = $1 ORDER BY submitted_on NULLS LAST, id", case_id
    )
    return [r["id"] for r in rows]
