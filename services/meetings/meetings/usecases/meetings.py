"""会議: a fiscal year's list, and closing a meeting (開催記録)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from kasane.auth import Principal
from kasane.events.meetings import MeetingHeld
from kasane.web.events import EventWriter
from meetings.domain.meeting import Meeting, check_can_hold, check_open_for_agenda
from meetings.domain.members import attendees
from meetings.store import agenda as agenda_store
from meetings.store import meetings as meetings_store
from meetings.store import members as members_store
from meetings.usecases import queueing
from meetings.usecases.deciding import locked_meeting


@dataclass(frozen=True)
class Listed:
    meetings: list[Meeting]
    item_counts: dict[UUID, int]


@dataclass(frozen=True)
class Held:
    meeting_id: UUID
    held_on: date
    items_discussed: int
    plans_requeued: int


async def list_meetings(pool: asyncpg.Pool, fiscal_year: int) -> Listed:
    """The fiscal year's meetings in date order (regular and 臨時), no case detail."""
    async with pool.acquire() as conn:
        found = await meetings_store.in_fiscal_year(conn, fiscal_year)
        counts = await meetings_store.item_counts(conn, [m.id for m in found])
    return Listed(found, counts)


async def close_meeting(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    meeting_id: UUID,
    held_on: date | None,
    attendee_agency_ids: list[str] | None,
    today: date,
    place: str | None = None,
) -> Held:
    """開催記録: closes the minutes and records attendance (出欠); undecided plans move to the
    next 重層的支援会議."""
    async with pool.acquire() as conn, conn.transaction():
        meeting = await locked_meeting(conn, meeting_id)
        day = held_on or meeting.meeting_date
        check_can_hold(meeting, day, today)
        members = await members_store.of_meeting(conn, meeting.id)
        present = attendees(attendee_agency_ids, members, meeting.meeting_type)
        discussed = await agenda_store.decided_count(conn, meeting.id)
        await meetings_store.mark_held(conn, meeting.id, day, place)
        # 出欠: every member, present or not, is the attendance list of the minutes.
        await meetings_store.record_attendance(
            conn, meeting.id, {a: a in present for a in members}, day, principal.sub
        )
        requeued = await queueing.place_waiting(conn, today) if meeting.is_multilayer else 0
        await events.emit(
            conn,
            MeetingHeld(
                meeting_id=meeting.id,
                meeting_type=meeting.meeting_type,
                held_on=day,
                participant_agency_ids=present,
                items_discussed=discussed,
            ),
            agency_id=principal.agency,
        )
    return Held(meeting.id, day, discussed, requeued)


async def set_place(pool: asyncpg.Pool, meeting_id: UUID, place: str) -> Meeting:
    """開催場所 of a meeting not yet held (a held meeting's place is in its minutes)."""
    async with pool.acquire() as conn, conn.transaction():
        meeting = await locked_meeting(conn, meeting_id)
        check_open_for_agenda(meeting)
        await meetings_store.set_place(conn, meeting.id, place)
        updated = await meetings_store.get(conn, meeting.id)
    assert updated is not None
    return updated
