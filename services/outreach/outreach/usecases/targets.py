"""Targets: register, list, read, versioned update (If-Match), end / hand over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from kasane.audit import record_access
from kasane.auth import Principal
from kasane.ids import uuid7
from kasane.web.events import EventWriter
from outreach.domain.access import entry
from outreach.domain.ending import EndIn, check_end, check_endable, ended
from outreach.domain.targets import (
    TargetIn,
    TargetPatch,
    TargetState,
    plan_patch,
    registered,
    stage_changed,
)
from outreach.domain.versions import check_if_match
from outreach.store import targets as store
from outreach.store.targets import StageChangeRecord, Target, TargetListItem
from outreach.usecases.access import visible_target


@dataclass(frozen=True)
class TargetDetail:
    target: Target
    stage_history: list[StageChangeRecord]


async def _detail(conn: asyncpg.Connection, target: Target) -> TargetDetail:
    return TargetDetail(target, await store.stage_history(conn, target.id))


async def register_target(
    pool: asyncpg.Pool, events: EventWriter, principal: Principal, data: TargetIn, today: date
) -> UUID:
    """No consent needed: outreach exists to reach people who have not asked."""
    target_id = uuid7()
    registered_on = data.registered_on or today
    async with pool.acquire() as conn, conn.transaction():
        await store.insert(
            conn,
            target_id,
            data,
            agency_id=principal.agency,
            worker=data.assigned_worker or principal.sub,
            registered_on=registered_on,
            by=principal.sub,
        )
        await record_access(conn, entry(principal, target_id, "create", "allowed", data.person_id))
        await events.emit(
            conn, registered(target_id, data, registered_on), agency_id=principal.agency
        )
    return target_id


async def list_targets(
    pool: asyncpg.Pool, principal: Principal, status: str | None, worker: str | None
) -> list[TargetListItem]:
    """The caller's agency's work list: codes only, so no audit row."""
    async with pool.acquire() as conn:
        return await store.listing(conn, principal.agency, status, worker)


async def read_target(pool: asyncpg.Pool, principal: Principal, target_id: UUID) -> TargetDetail:
    async with visible_target(pool, principal, target_id, action="read") as (conn, target):
        return await _detail(conn, target)


async def update_target(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    target_id: UUID,
    patch: TargetPatch,
    if_match: str | None,
    today: date,
) -> TargetDetail:
    async with visible_target(pool, principal, target_id, action="update", for_update=True) as (
        conn,
        target,
    ):
        # Checked under the row lock: two offline edits cannot both pass.
        check_if_match(if_match, target.version, required=True)
        updates, change = plan_patch(TargetState.of(target), patch, today)
        if updates:
            target = await store.update(conn, target_id, updates)
        if change is not None:
            await store.insert_stage_change(conn, target_id, change, principal.sub)
            await events.emit(conn, stage_changed(target_id, change), agency_id=principal.agency)
        return await _detail(conn, target)


async def end_target(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    target_id: UUID,
    data: EndIn,
    if_match: str | None,
    today: date,
) -> TargetDetail:
    """終結, e.g. handed over through a referral (reason ``handed_over`` + ``referral_id``)."""
    async with visible_target(pool, principal, target_id, action="end", for_update=True) as (
        conn,
        target,
    ):
        check_if_match(if_match, target.version, required=False)
        check_endable(target.status)
        ended_on = check_end(data, target.registered_on, today)
        target = await store.end(
            conn,
            target_id,
            ended_on=ended_on,
            reason=data.reason_code,
            note=data.note,
            referral_id=data.referral_id,
        )
        await events.emit(conn, ended(target_id, data, ended_on), agency_id=principal.agency)
        return await _detail(conn, target)
