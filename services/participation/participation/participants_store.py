"""SQL for participants, plans, placements, steps and the referral read model."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from participation.participants import OPERATOR, Access, PlanIn


def _insert_sql(table: str, row: dict[str, Any]) -> str:
    columns = list(row)
    marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


# ---- referral read model ----


async def upsert_grant(conn: asyncpg.Connection, row: dict[str, Any]) -> None:
    await conn.execute(
        _insert_sql("referral_grants", row) + " ON CONFLICT DO NOTHING", *row.values()
    )


async def set_grant_status(
    conn: asyncpg.Connection, referral_id: UUID, status: str
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "UPDATE referral_grants SET status = $2 WHERE referral_id = $1 RETURNING *",
        referral_id,
        status,
    )


async def get_grant(conn: asyncpg.Connection, referral_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM referral_grants WHERE referral_id = $1", referral_id)


# ---- participants ----


async def insert_participant(conn: asyncpg.Connection, row: dict[str, Any]) -> None:
    await conn.execute(_insert_sql("participants", row), *row.values())


async def get_participant(
    conn: asyncpg.Connection, participant_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(
        f"SELECT * FROM participants WHERE participant_id = $1{lock}", participant_id
    )


async def participant_of_referral(
    conn: asyncpg.Connection, referral_id: UUID
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM participants WHERE referral_id = $1 FOR UPDATE", referral_id
    )


async def visible_participants(
    conn: asyncpg.Connection, agency: str, status: str | None
) -> list[asyncpg.Record]:
    """アソウ sees all, a referring agency its own; revoked ones are closed to everyone."""
    return list(
        await conn.fetch(
            "SELECT participant_id, case_id, referral_id, status, started_on, ended_on,"
            " referring_agency_id, legal_basis FROM participants"
            " WHERE status <> 'revoked' AND ($1::text = $3 OR referring_agency_id = $1)"
            " AND ($2::text IS NULL OR status = $2) ORDER BY started_on DESC LIMIT 500",
            agency,
            status,
            OPERATOR,
        )
    )


def access_of(row: asyncpg.Record) -> Access:
    return Access(status=row["status"], referring_agency_id=row["referring_agency_id"])


async def set_status(conn: asyncpg.Connection, participant_id: UUID, status: str) -> None:
    await conn.execute(
        "UPDATE participants SET status = $2 WHERE participant_id = $1", participant_id, status
    )


async def advance(
    conn: asyncpg.Connection, participant_id: UUID, from_status: str, to_status: str
) -> None:
    await conn.execute(
        "UPDATE participants SET status = $3 WHERE participant_id = $1 AND status = $2",
        participant_id,
        from_status,
        to_status,
    )


async def update_profile(
    conn: asyncpg.Connection, participant_id: UUID, age_band: str | None, district: str | None
) -> None:
    await conn.execute(
        "UPDATE participants SET age_band = COALESCE($2, age_band),"
        " school_district_code = COALESCE($3, school_district_code) WHERE participant_id = $1",
        participant_id,
        age_band,
        district,
    )


async def end_participant(
    conn: asyncpg.Connection, participant_id: UUID, status: str, ended_on: date, outcome: str
) -> None:
    await conn.execute(
        "UPDATE participants SET status = $2, ended_on = $3, outcome_code = $4"
        " WHERE participant_id = $1",
        participant_id,
        status,
        ended_on,
        outcome,
    )


# ---- plans ----


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
) -> asyncpg.Record | None:
    """Record the meeting's decision on a submitted plan; None if it is not ours or not open."""
    return await conn.fetchrow(
        "UPDATE plans SET status = $2, decided_on = $3, meeting_id = $4,"
        " decision_reason_code = $5 WHERE plan_id = $1 AND status = 'submitted'"
        " RETURNING participant_id",
        plan_id,
        status,
        decided_on,
        meeting_id,
        reason_code,
    )


async def plans_of(conn: asyncpg.Connection, participant_id: UUID) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT * FROM plans WHERE participant_id = $1 ORDER BY submitted_on, plan_id",
            participant_id,
        )
    )


# ---- placements ----


async def insert_placement(conn: asyncpg.Connection, row: dict[str, Any]) -> None:
    await conn.execute(_insert_sql("placements", row), *row.values())


async def get_placement(
    conn: asyncpg.Connection, participant_id: UUID, placement_id: UUID
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM placements WHERE placement_id = $1 AND participant_id = $2 FOR UPDATE",
        placement_id,
        participant_id,
    )


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
) -> list[asyncpg.Record]:
    active = " AND p.status = 'active'" if only_active else ""
    return list(
        await conn.fetch(
            "SELECT p.*, r.category FROM placements p JOIN resources r USING (resource_id)"
            f" WHERE p.participant_id = $1{active} ORDER BY p.started_on, p.placement_id",
            participant_id,
        )
    )


# ---- steps ----


async def insert_step(conn: asyncpg.Connection, row: dict[str, Any]) -> None:
    await conn.execute(_insert_sql("steps", row), *row.values())


async def steps_of(conn: asyncpg.Connection, participant_id: UUID) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT * FROM steps WHERE participant_id = $1 ORDER BY reached_on, recorded_at",
            participant_id,
        )
    )
