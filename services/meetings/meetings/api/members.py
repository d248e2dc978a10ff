"""参加機関 and 守秘義務 pledges of a meeting."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.errors import Conflict, Invalid, NotFound
from kasane.fiscal_year import fiscal_year_of
from kasane.reference.agencies import is_known_agency
from kasane.types import IsoDate
from meetings.api.deps import Coordinator, Pool, Reader, Today
from meetings.api.meetings import MemberOut
from meetings.deciding import locked_meeting
from meetings.domain.members import check_admission, pledge_year_problem
from meetings.store import meetings as meetings_store
from meetings.store import members as members_store

router = APIRouter(tags=["参加機関 members"])


async def _members_out(conn: asyncpg.Connection, meeting_id: UUID) -> list[MemberOut]:
    members = await members_store.of_meeting(conn, meeting_id)
    return [
        MemberOut(
            agency_id=m.agency_id,
            source=m.source,
            case_ids=sorted(str(c) for c in m.case_ids),
            pledged_on=m.pledged_on,
            admitted_on=m.admitted_on,
        )
        for m in members.values()
    ]


@router.get("/meetings/{meeting_id}/members")
async def list_members(meeting_id: UUID, principal: Reader, pool: Pool) -> list[MemberOut]:
    async with pool.acquire() as conn:
        await _existing(conn, meeting_id)
        return await _members_out(conn, meeting_id)


async def _existing(conn: asyncpg.Connection, meeting_id: UUID) -> None:
    if await meetings_store.get(conn, meeting_id) is None:
        raise NotFound("meeting_id", "会議が見つかりません / meeting not found")


class MemberIn(BaseModel):
    """その他、ケースに応じて必要だと思われる機関 (seed 第4): joins for the listed cases."""

    model_config = ConfigDict(extra="forbid")

    agency_id: str
    case_ids: list[UUID] = Field(min_length=1, max_length=50)

    @field_validator("agency_id")
    @classmethod
    def _known(cls, value: str) -> str:
        if not is_known_agency(value):
            raise ValueError(f"未知の機関 / unknown agency id: {value}")
        return value


@router.post("/meetings/{meeting_id}/members")
async def add_member(
    meeting_id: UUID, body: MemberIn, principal: Coordinator, pool: Pool
) -> list[MemberOut]:
    async with pool.acquire() as conn, conn.transaction():
        meeting = await locked_meeting(conn, meeting_id)
        if meeting.held:
            raise Conflict("meeting_id", "開催済みの会議です / the meeting was already held")
        await members_store.add_for_cases(
            conn, meeting.id, body.agency_id, sorted(set(body.case_ids)), principal.sub
        )
        return await _members_out(conn, meeting.id)


class AdmissionIn(BaseModel):
    """社協's decision of who takes part in this meeting (invited members only)."""

    model_config = ConfigDict(extra="forbid")

    agency_ids: list[str] = Field(min_length=1, max_length=60)

    @field_validator("agency_ids")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [a for a in value if not is_known_agency(a)]
        if unknown:
            raise ValueError(f"未知の機関 / unknown agency id(s): {', '.join(unknown)}")
        return value


@router.post("/meetings/{meeting_id}/admissions")
async def admit_members(
    meeting_id: UUID, body: AdmissionIn, principal: Coordinator, pool: Pool, clock: Today
) -> list[MemberOut]:
    """参加の決定 (社協): admits invited members to this meeting. A 支援会議 member sees
    agenda detail only once admitted and with a pledge for the fiscal year on record."""
    agency_ids = sorted(set(body.agency_ids))
    async with pool.acquire() as conn, conn.transaction():
        meeting = await locked_meeting(conn, meeting_id)
        check_admission(meeting, await members_store.of_meeting(conn, meeting.id), agency_ids)
        await members_store.admit(conn, meeting.id, agency_ids, clock.today(), principal.sub)
        return await _members_out(conn, meeting.id)


class PledgeIn(BaseModel):
    """守秘義務の誓約 (社会福祉法106条の6) of one agency for one fiscal year."""

    model_config = ConfigDict(extra="forbid")

    agency_id: str
    pledged_on: IsoDate | None = None  # 誓約日; default today
    fiscal_year: int | None = None  # default: the fiscal year of pledged_on

    @field_validator("agency_id")
    @classmethod
    def _known(cls, value: str) -> str:
        if not is_known_agency(value):
            raise ValueError(f"未知の機関 / unknown agency id: {value}")
        return value


class PledgeOut(BaseModel):
    agency_id: str
    fiscal_year: int
    pledged_on: IsoDate


@router.post("/pledges", status_code=201)
async def record_pledge(
    body: PledgeIn, principal: Coordinator, pool: Pool, clock: Today
) -> PledgeOut:
    """One pledge per agency per fiscal year, recorded by 社協 from the signed 誓約書; it
    covers every 支援会議 of that year the agency is admitted to."""
    today = clock.today()
    pledged_on = body.pledged_on or today
    if pledged_on > today:
        raise Invalid("pledged_on", "誓約日が未来です / pledged_on is in the future")
    year = body.fiscal_year if body.fiscal_year is not None else fiscal_year_of(pledged_on)
    problem = pledge_year_problem(year, pledged_on)
    if problem is not None:
        raise Invalid("fiscal_year", problem)
    async with pool.acquire() as conn, conn.transaction():
        existing = await members_store.record_annual_pledge(
            conn, body.agency_id, year, pledged_on, principal.sub, principal.agency
        )
    if existing is not None:
        raise Conflict(
            "agency_id",
            f"{year}年度の誓約は記録済みです / the pledge for fiscal year {year} was already "
            f"recorded on {existing}",
        )
    return PledgeOut(agency_id=body.agency_id, fiscal_year=year, pledged_on=pledged_on)


@router.get("/pledges")
async def list_pledges(
    principal: Reader,
    pool: Pool,
    clock: Today,
    fiscal_year: Annotated[int | None, Query(description="年度 (既定: 今年度)")] = None,
) -> list[PledgeOut]:
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(clock.today())
    async with pool.acquire() as conn:
        rows = await members_store.annual_pledges(conn, year)
    return [
        PledgeOut(
            agency_id=r["agency_id"], fiscal_year=r["fiscal_year"], pledged_on=r["pledged_on"]
        )
        for r in rows
    ]
