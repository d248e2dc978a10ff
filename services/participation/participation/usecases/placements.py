"""Placements (受け入れ): matching suggestions, start with capacity, end with an outcome."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from kasane.auth import Principal
from kasane.events.participation import PlacementStarted
from kasane.ids import uuid7
from kasane.web.events import EventWriter
from participation.domain import matching
from participation.domain import participants as rules
from participation.domain.placements import (
    PlacementEndIn,
    PlacementIn,
    check_placement_active,
    placement_found,
)
from participation.domain.resources import (
    check_open,
    check_room,
    effective_capacity,
    free_places,
    resource_found,
)
from participation.store import placements as store
from participation.store import resources as resources_store
from participation.store.placements import NewPlacement
from participation.store.resources import Resource
from participation.usecases import lifecycle
from participation.usecases.access import audit, guard, in_transaction


def _candidate(r: Resource) -> matching.Candidate:
    return matching.Candidate(
        resource_id=str(r.resource_id),
        category=r.category,
        school_district_code=r.school_district_code,
        age_min=r.age_min,
        age_max=r.age_max,
        free=free_places(effective_capacity(r.capacity, r.capacity_override), r.in_use),
    )


async def suggest(
    pool: asyncpg.Pool,
    principal: Principal,
    participant_id: UUID,
    category: str | None,
    within: matching.Within,
) -> list[matching.Match]:
    async def work(conn: asyncpg.Connection) -> list[matching.Match]:
        # Matching reads the profile to act on it: アソウ's work, hence a write guard.
        row = await guard(conn, participant_id, principal, write=True)
        await audit(conn, principal, row, "match")
        return matching.suggest(
            [_candidate(r) for r in await resources_store.listing(conn)],
            age_band=row.age_band,
            home_district=row.school_district_code,
            category=category,
            within=within,
        )

    return await in_transaction(pool, principal, participant_id, "match", work)


async def start(
    pool: asyncpg.Pool,
    writer: EventWriter,
    principal: Principal,
    participant_id: UUID,
    body: PlacementIn,
) -> UUID:
    placement_id = uuid7()

    async def work(conn: asyncpg.Connection) -> UUID:
        row = await guard(conn, participant_id, principal, write=True)
        rules.check_status("place", row.status)
        # The resource's row lock serialises placements: two cannot take the last place.
        resource = resource_found(
            await resources_store.get(conn, body.resource_id, for_update=True)
        )
        check_open(resource.withdrawn_on)
        check_room(
            effective_capacity(resource.capacity, resource.capacity_override), resource.in_use
        )
        placement = NewPlacement(
            placement_id=placement_id,
            participant_id=participant_id,
            resource_id=body.resource_id,
            started_on=body.started_on,
            planned_end_on=body.planned_end_on,
        )
        await store.insert_placement(conn, placement)
        await audit(conn, principal, row, "placement_start")
        started = PlacementStarted(
            placement_id=placement_id,
            participant_id=participant_id,
            case_id=row.case_id,
            resource_id=body.resource_id,
            category=resource.category,
            started_on=body.started_on,
        )
        await writer.emit(conn, started, agency_id=principal.agency)
        return placement_id

    return await in_transaction(pool, principal, participant_id, "placement_start", work)


async def end(
    pool: asyncpg.Pool,
    writer: EventWriter,
    principal: Principal,
    participant_id: UUID,
    placement_id: UUID,
    body: PlacementEndIn,
) -> None:
    async def work(conn: asyncpg.Connection) -> None:
        row = await guard(conn, participant_id, principal, write=True)
        placement = placement_found(await store.get_placement(conn, participant_id, placement_id))
        check_placement_active(placement.status)
        rules.check_not_before(body.ended_on, placement.started_on, "ended_on")
        await lifecycle.end_placement(
            conn,
            writer,
            lifecycle.Trace(principal.agency),
            placement,
            row.case_id,
            body.ended_on,
            body.outcome_code,
        )
        await audit(conn, principal, row, "placement_end")

    await in_transaction(pool, principal, participant_id, "placement_end", work)
