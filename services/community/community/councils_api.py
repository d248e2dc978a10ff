"""支え合い推進会議: record a meeting held (SupportCouncilHeld), list them per 年度."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel

from community import councils_store as store
from community.access import AggregateReader, ShakyoWriter
from community.councils import CouncilIn, council_held
from community.watch_visits import check_district
from kasane.ids import uuid7
from kasane.types import IsoDate
from kasane.web.errors import Refused
from kasane.web.events import EventWriter

router = APIRouter(prefix="/support-councils", tags=["支え合い推進会議 support councils"])


class CouncilCreated(BaseModel):
    council_meeting_id: str


class CouncilOut(BaseModel):
    council_meeting_id: str
    school_district_code: str
    held_on: IsoDate
    participants: int
    topic_codes: list[str]


class CouncilList(BaseModel):
    fiscal_year: int
    meetings: int
    participants: int
    by_school_district: dict[str, int]
    items: list[CouncilOut]


@router.post("", status_code=status.HTTP_201_CREATED)
async def record_council(
    body: CouncilIn, principal: ShakyoWriter, request: Request
) -> CouncilCreated:
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    council_id = uuid7()
    async with pool.acquire() as conn, conn.transaction():
        if not await store.insert(conn, council_id, body, principal.agency, principal.sub):
            raise Refused(
                409,
                "held_on",
                "この校区・日付の会議は登録済みです / a meeting of this 校区 on this day exists",
            )
        await events.emit(conn, council_held(council_id, body), agency_id=principal.agency)
    return CouncilCreated(council_meeting_id=str(council_id))


@router.get("")
async def list_councils(
    _: AggregateReader,
    request: Request,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
    school_district_code: Annotated[str | None, Query(description="校区")] = None,
) -> CouncilList:
    if school_district_code is not None:
        check_district(school_district_code)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        rows = await store.listing(conn, fiscal_year, school_district_code)
    items = [
        CouncilOut(
            council_meeting_id=str(r["id"]),
            school_district_code=r["school_district_code"],
            held_on=r["held_on"],
            participants=r["participants"],
            topic_codes=list(r["topic_codes"]),
        )
        for r in rows
    ]
    by_district: dict[str, int] = {}
    for item in items:
        by_district[item.school_district_code] = by_district.get(item.school_district_code, 0) + 1
    return CouncilList(
        fiscal_year=fiscal_year,
        meetings=len(items),
        participants=sum(i.participants for i in items),
        by_school_district=by_district,
        items=items,
    )
