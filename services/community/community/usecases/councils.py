"""支え合い推進会議: record a meeting held (SupportCouncilHeld), list a 年度's meetings."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from community.domain.councils import CouncilIn, Tally, already_held, council_held, tally
from community.store import councils as store
from community.store.councils import CouncilMeeting
from kasane.auth import Principal
from kasane.ids import uuid7
from kasane.types import check_school_district
from kasane.web.events import EventWriter


@dataclass(frozen=True)
class Listing:
    tally: Tally
    meetings: list[CouncilMeeting]


async def record_council(
    pool: asyncpg.Pool, events: EventWriter, principal: Principal, data: CouncilIn
) -> UUID:
    council_id = uuid7()
    async with pool.acquire() as conn, conn.transaction():
        if not await store.insert(conn, council_id, data, principal.agency, principal.sub):
            raise already_held()
        await events.emit(conn, council_held(council_id, data), agency_id=principal.agency)
    return council_id


async def list_councils(pool: asyncpg.Pool, fiscal_year: int, district: str | None) -> Listing:
    if district is not None:
        check_school_district(district)
    async with pool.acquire() as conn:
        meetings = await store.listing(conn, fiscal_year, district)
    return Listing(
        tally=tally((m.school_district_code, m.participants) for m in meetings),
        meetings=meetings,
    )
