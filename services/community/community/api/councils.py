"""支え合い推進会議: record a meeting held (SupportCouncilHeld), list them per 年度."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from community.api.deps import AggregateReader, CommunityOperator, Events, Pool
from community.api.schemas import CouncilCreated, CouncilList, CouncilOut
from community.domain.councils import CouncilIn
from community.usecases import councils

router = APIRouter(prefix="/support-councils", tags=["支え合い推進会議 support councils"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def record_council(
    body: CouncilIn, principal: CommunityOperator, pool: Pool, events: Events
) -> CouncilCreated:
    council_id = await councils.record_council(pool, events, principal, body)
    return CouncilCreated(council_meeting_id=str(council_id))


@router.get("")
async def list_councils(
    _: AggregateReader,
    pool: Pool,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
    school_district_code: Annotated[str | None, Query(description="校区")] = None,
) -> CouncilList:
    listing = await councils.list_councils(pool, fiscal_year, school_district_code)
    return CouncilList(
        fiscal_year=fiscal_year,
        meetings=listing.tally.meetings,
        participants=listing.tally.participants,
        by_school_district=listing.tally.by_school_district,
        items=[CouncilOut.of(m) for m in listing.meetings],
    )
