"""Putting meetings on the calendar: a fiscal year's regular meetings, 臨時 meetings, and
the start-up step that keeps this and next fiscal year's calendars in place.

``generate_fiscal_year`` and ``schedule_ad_hoc`` are steps in the caller's transaction;
``generate_calendar``, ``add_ad_hoc_meeting`` and the start-up hook own theirs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg
from fastapi import FastAPI

from kasane.auth import Principal
from kasane.clock import system_clock
from kasane.events.meetings import MeetingScheduled
from kasane.fiscal_year import fiscal_year_of
from kasane.ids import uuid7
from kasane.web.events import EventWriter
from meetings.domain.calendar import HolidayPolicy, check_ad_hoc_date, regular_meetings
from meetings.domain.codes import COORDINATOR_AGENCY
from meetings.domain.meeting import Meeting
from meetings.domain.members import default_member_ids
from meetings.settings import get_meetings_settings
from meetings.store import meetings as meetings_store
from meetings.store import members as members_store
from meetings.usecases import queueing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheduled:
    """Meetings put on the calendar (or the year's regular ones), with their item counts."""

    meetings: list[Meeting]
    created: int
    item_counts: dict[UUID, int]


def scheduled_event(meeting: Meeting) -> MeetingScheduled:
    return MeetingScheduled(
        meeting_id=meeting.id,
        meeting_type=meeting.meeting_type,
        scheduled_on=meeting.meeting_date,
        fiscal_year=meeting.fiscal_year,
        ad_hoc=meeting.ad_hoc,
        holiday=meeting.holiday,
    )


async def generate_fiscal_year(
    conn: asyncpg.Connection,
    events: EventWriter,
    fiscal_year: int,
    policy: HolidayPolicy,
    created_by: str,
    agency_id: str = COORDINATOR_AGENCY,
) -> tuple[list[Meeting], list[Meeting]]:
    """Create the year's missing regular meetings; (created, all regular) — idempotent."""
    # Replicas starting together, or a start-up racing a POST, queue here instead of
    # both inserting: the unique index would refuse the loser anyway, this keeps it quiet.
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"meetings-calendar-{fiscal_year}"
    )
    created = []
    for planned in regular_meetings(fiscal_year, policy):
        meeting = await meetings_store.insert_regular(conn, uuid7(), planned, created_by)
        if meeting is None:
            continue
        await members_store.add_defaults(conn, meeting.id, default_member_ids(), created_by)
        await events.emit(conn, scheduled_event(meeting), agency_id=agency_id)
        created.append(meeting)
    return created, await meetings_store.regular_of_year(conn, fiscal_year)


async def generate_calendar(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    fiscal_year: int,
    policy: HolidayPolicy | None,
    today: date,
) -> Scheduled:
    """社協 generates a fiscal year (past ones too); ``created`` is 0 when it existed."""
    chosen = policy or get_meetings_settings().holiday_policy
    async with pool.acquire() as conn, conn.transaction():
        created, regular = await generate_fiscal_year(
            conn, events, fiscal_year, chosen, principal.sub, principal.agency
        )
        if created:
            await queueing.place_waiting(conn, today)
        counts = await meetings_store.item_counts(conn, [m.id for m in regular])
    return Scheduled(regular, len(created), counts)


async def add_ad_hoc_meeting(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    meeting_type: str,
    day: date,
    today: date,
) -> Scheduled:
    """A 臨時 meeting on any day; waiting plans are placed on a 重層的支援会議 at once."""
    check_ad_hoc_date(day)
    async with pool.acquire() as conn, conn.transaction():
        meeting = await schedule_ad_hoc(
            conn, events, meeting_type, day, principal.sub, principal.agency
        )
        if meeting.is_multilayer:
            await queueing.place_waiting(conn, today)
        counts = await meetings_store.item_counts(conn, [meeting.id])
    return Scheduled([meeting], 1, counts)


async def schedule_ad_hoc(
    conn: asyncpg.Connection,
    events: EventWriter,
    meeting_type: str,
    day: date,
    created_by: str,
    agency_id: str,
) -> Meeting:
    meeting = await meetings_store.insert_ad_hoc(
        conn, uuid7(), meeting_type, fiscal_year_of(day), day, created_by
    )
    await members_store.add_defaults(conn, meeting.id, default_member_ids(), created_by)
    await events.emit(conn, scheduled_event(meeting), agency_id=agency_id)
    return meeting


async def generate_upcoming(app: FastAPI) -> None:
    """Start-up hook: this and next fiscal year exist without anyone asking."""
    settings = get_meetings_settings()
    if not settings.generate_on_startup:
        return
    pool: asyncpg.Pool = app.state.pool
    events: EventWriter = app.state.events
    today = system_clock().today()
    current = fiscal_year_of(today)
    for fiscal_year in (current, current + 1):
        async with pool.acquire() as conn, conn.transaction():
            created, _ = await generate_fiscal_year(
                conn, events, fiscal_year, settings.holiday_policy, "system:meetings"
            )
            if created:
                await queueing.place_waiting(conn, today)
        if created:
            log.info("meetings: calendar FY%d generated (%d meetings)", fiscal_year, len(created))
