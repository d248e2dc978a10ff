"""参加機関 and 守秘義務 pledges of a meeting."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, HTTPException
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.reference.agencies import is_known_agency
from kasane.types import IsoDate
from kasane.web.errors import Refused
from meetings.api.deps import CaseWorker, Coordinator, Pool, Reader, Today
from meetings.api.meetings import MemberOut
from meetings.deciding import locked_meeting
from meetings.domain.access import is_coordinator
from meetings.domain.members import check_pledge
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
        raise Refused(404, "meeting_id", "会議が見つかりません / meeting not found")


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
            raise Refused(409, "meeting_id", "開催済みの会議です / the meeting was already held")
        await members_store.add_for_cases(
            conn, meeting.id, body.agency_id, sorted(set(body.case_ids)), principal.sub
        )
        return await _members_out(conn, meeting.id)


class PledgeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pledged_on: IsoDate | None = None  # 誓約日; default today


class PledgeOut(BaseModel):
    meeting_id: str
    agency_id: str
    pledged_on: IsoDate


@router.post("/meetings/{meeting_id}/members/{agency}/pledge", status_code=201)
async def record_pledge(
    meeting_id: UUID,
    agency: Annotated[str, PathParam(description="誓約する参加機関")],
    principal: CaseWorker,
    pool: Pool,
    clock: Today,
    body: PledgeIn | None = None,
) -> PledgeOut:
    """守秘義務の誓約 (社会福祉法106条の6): by 社協 for any member, or by the member itself."""
    if not is_coordinator(principal.agency) and principal.agency != agency:
        raise HTTPException(
            403, "自機関の誓約のみ記録できます / an agency records only its own pledge"
        )
    pledged_on = (body.pledged_on if body else None) or clock.today()
    if pledged_on > clock.today():
        raise Refused(422, "pledged_on", "誓約日が未来です / pledged_on is in the future")
    async with pool.acquire() as conn, conn.transaction():
        meeting = await locked_meeting(conn, meeting_id)
        members = await members_store.of_meeting(conn, meeting.id)
        check_pledge(meeting, members.get(agency), agency)
        await members_store.record_pledge(
            conn, meeting.id, agency, pledged_on, principal.sub, principal.agency
        )
    return PledgeOut(meeting_id=str(meeting.id), agency_id=agency, pledged_on=pledged_on)
