"""参加機関 and 守秘義務 pledges of a meeting."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.fiscal_year import fiscal_year_of
from kasane.reference.partners import new_work_refusal
from kasane.types import FiscalYear, IsoDate
from meetings.api.deps import Coordinator, Pool, Reader, Today
from meetings.api.schemas import MemberOut
from meetings.store.members import Pledge
from meetings.usecases import members

router = APIRouter(tags=["参加機関 members"])


@router.get("/meetings/{meeting_id}/members")
async def list_members(meeting_id: UUID, principal: Reader, pool: Pool) -> list[MemberOut]:
    return [MemberOut.of(m) for m in await members.list_members(pool, meeting_id)]


class MemberIn(BaseModel):
    """その他、ケースに応じて必要だと思われる機関 (seed 第4): joins for the listed cases —
    an agency of the 体制 or an active 連携機関 (docs/architecture/partners.md)."""

    model_config = ConfigDict(extra="forbid")

    agency_id: str
    case_ids: list[UUID] = Field(min_length=1, max_length=50)

    @field_validator("agency_id")
    @classmethod
    def _known(cls, value: str) -> str:
        return _party(value)


def _party(value: str) -> str:
    """An agency, or a 連携機関 still active: the only ones given new work."""
    refusal = new_work_refusal(value)
    if refusal is not None:
        raise ValueError(refusal)
    return value


@router.post("/meetings/{meeting_id}/members")
async def add_member(
    meeting_id: UUID, body: MemberIn, principal: Coordinator, pool: Pool
) -> list[MemberOut]:
    found = await members.add_member(pool, principal, meeting_id, body.agency_id, body.case_ids)
    return [MemberOut.of(m) for m in found]


class AdmissionIn(BaseModel):
    """社協's decision of who takes part in this meeting (invited members only)."""

    model_config = ConfigDict(extra="forbid")

    agency_ids: list[str] = Field(min_length=1, max_length=60)

    @field_validator("agency_ids")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        refusals = [r for r in map(new_work_refusal, value) if r is not None]
        if refusals:
            raise ValueError("; ".join(refusals))
        return value


@router.post("/meetings/{meeting_id}/admissions")
async def admit_members(
    meeting_id: UUID, body: AdmissionIn, principal: Coordinator, pool: Pool, clock: Today
) -> list[MemberOut]:
    """参加の決定 (社協): admits invited members to this meeting. A 支援会議 member sees
    agenda detail only once admitted and with a pledge for the fiscal year on record."""
    found = await members.admit_members(pool, principal, meeting_id, body.agency_ids, clock.today())
    return [MemberOut.of(m) for m in found]


class PledgeIn(BaseModel):
    """守秘義務の誓約 (社会福祉法106条の6) of one agency for one fiscal year."""

    model_config = ConfigDict(extra="forbid")

    agency_id: str
    pledged_on: IsoDate | None = None  # 誓約日; default today
    fiscal_year: FiscalYear | None = None  # default: the fiscal year of pledged_on

    @field_validator("agency_id")
    @classmethod
    def _known(cls, value: str) -> str:
        return _party(value)


class PledgeOut(BaseModel):
    agency_id: str
    fiscal_year: int
    pledged_on: IsoDate

    @classmethod
    def of(cls, pledge: Pledge) -> PledgeOut:
        return cls(
            agency_id=pledge.agency_id, fiscal_year=pledge.fiscal_year, pledged_on=pledge.pledged_on
        )


@router.post("/pledges", status_code=201)
async def record_pledge(
    body: PledgeIn, principal: Coordinator, pool: Pool, clock: Today
) -> PledgeOut:
    """One pledge per agency per fiscal year, recorded by 社協 from the signed 誓約書; it
    covers every 支援会議 of that year the agency is admitted to."""
    pledge = await members.record_pledge(
        pool, principal, body.agency_id, body.pledged_on, body.fiscal_year, clock.today()
    )
    return PledgeOut.of(pledge)


@router.get("/pledges")
async def list_pledges(
    principal: Reader,
    pool: Pool,
    clock: Today,
    fiscal_year: Annotated[FiscalYear | None, Query(description="年度 (既定: 今年度)")] = None,
) -> list[PledgeOut]:
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(clock.today())
    return [PledgeOut.of(p) for p in await members.list_pledges(pool, year)]
