"""A meeting and the state rules around it: scheduled → held (minutes closed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from kasane.errors import Conflict, Invalid, NotFound
from kasane.types import check_not_future, future_reason


@dataclass(frozen=True)
class Meeting:
    id: UUID
    meeting_type: str  # multilayer_meeting | support_meeting
    fiscal_year: int
    meeting_date: date
    regular_date: date | None
    ad_hoc: bool
    holiday: bool
    holiday_name: str | None
    status: str  # scheduled | held
    held_on: date | None
    place: str | None = None  # 開催場所 (printed on the minutes)

    @property
    def is_multilayer(self) -> bool:
        return self.meeting_type == "multilayer_meeting"

    @property
    def held(self) -> bool:
        return self.status == "held"


def meeting_not_found() -> NotFound:
    return NotFound("meeting_id", "会議が見つかりません / meeting not found")


def check_open_for_agenda(meeting: Meeting) -> None:
    if meeting.held:
        raise Conflict(
            "meeting_id",
            f"開催済みの会議です / the meeting was already held ({meeting.held_on})",
        )


def check_open_for_decisions(meeting: Meeting, today: date) -> None:
    """Decisions are minuted on or after the meeting day, until the meeting is closed."""
    if meeting.held:
        raise Conflict(
            "meeting_id",
            f"会議は終了し議事録は確定済みです / the meeting was closed on {meeting.held_on}",
        )
    if meeting.meeting_date > today:
        raise Conflict(
            "meeting_id",
            f"会議の開催日前です / the meeting takes place on {meeting.meeting_date}",
        )


def check_can_hold(meeting: Meeting, held_on: date, today: date) -> None:
    if meeting.held:
        raise Conflict("meeting_id", f"開催済みです / already held on {meeting.held_on}")
    check_not_future(held_on, "held_on", future_reason("開催日", "held_on"), today)
    if held_on < meeting.meeting_date:
        raise Invalid(
            "held_on",
            f"予定日より前です / held_on is before the meeting date {meeting.meeting_date}",
        )
