"""参加機関 of a meeting, 社協's admission of them, and the annual 守秘義務 pledges."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from kasane.auth import Principal
from meetings.domain.meeting import meeting_not_found
from meetings.domain.members import (
    Member,
    already_pledged,
    check_admission,
    check_open_for_members,
    pledge_terms,
)
from meetings.store import meetings as meetings_store
from meetings.store import members as members_store
from meetings.store.members import Pledge
from meetings.usecases.deciding import locked_meeting


async def list_members(pool: asyncpg.Pool, meeting_id: UUID) -> list[Member]:
    async with pool.acquire() as conn:
        if await meetings_store.get(conn, meeting_id) is None:
            raise meeting_not_found()
        return list((await members_store.of_meeting(conn, meeting_id)).values())


async def add_member(
    pool: asyncpg.Pool, principal: Principal, meeting_id: UUID, agency_id: str, case_ids: list[UUID]
) -> list[Member]:
    """An agency joins for the listed cases (社協's decision, so it is admitted)."""
    async with pool.acquire() as conn, conn.transaction():
        meeting = await locked_meeting(conn, meeting_id)
        check_open_for_members(meeting)
        await members_store.add_for_cases(
            conn, meeting.id, agency_id, sorted(set(case_ids)), principal.sub
        )
        return list((await members_store.of_meeting(conn, meeting.id)).values())


async def admit_members(
    pool: asyncpg.Pool, principal: Principal, meeting_id: UUID, agency_ids: list[str], today: date
) -> list[Member]:
    """参加の決定 (社協): invited members only; admitting one again keeps the first date."""
    chosen = sorted(set(agency_ids))
    async with pool.acquire() as conn, conn.transaction():
        meeting = await locked_meeting(conn, meeting_id)
        check_admission(meeting, await members_store.of_meeting(conn, meeting.id), chosen)
        await members_store.admit(conn, meeting.id, chosen, today, principal.sub)
        return list((await members_store.of_meeting(conn, meeting.id)).values())


async def record_pledge(
    pool: asyncpg.Pool,
    principal: Principal,
    agency_id: str,
    pledged_on: date | None,
    fiscal_year: int | None,
    today: date,
) -> Pledge:
    """One pledge per agency per fiscal year, recorded by 社協 from the signed 誓約書."""
    year, day = pledge_terms(pledged_on, fiscal_year, today)
    async with pool.acquire() as conn, conn.transaction():
        existing = await members_store.record_annual_pledge(
            conn, agency_id, year, day, principal.sub, principal.agency
        )
        if existing is not None:
            raise already_pledged(year, existing)
    return Pledge(agency_id=agency_id, fiscal_year=year, pledged_on=day)


async def list_pledges(pool: asyncpg.Pool, fiscal_year: int) -> list[Pledge]:
    async with pool.acquire() as conn:
        return await members_store.annual_pledges(conn, fiscal_year)
