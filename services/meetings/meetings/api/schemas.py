"""Response bodies shared by several routers."""

from __future__ import annotations

from datetime import date as Date

from pydantic import BaseModel

from kasane.fiscal_year import wareki_label
from meetings.domain.meeting import Meeting


class MeetingOut(BaseModel):
    meeting_id: str
    type: str  # multilayer_meeting | support_meeting
    date: Date
    fiscal_year: int
    wareki: str
    ad_hoc: bool  # 臨時
    holiday: bool  # the 4th Wednesday was a 祝日/closure day
    holiday_name: str | None
    regular_date: Date | None  # the 4th Wednesday (None for 臨時)
    status: str  # scheduled | held
    held_on: Date | None
    agenda_items: int

    @classmethod
    def of(cls, meeting: Meeting, agenda_items: int = 0) -> MeetingOut:
        return cls(
            meeting_id=str(meeting.id),
            type=meeting.meeting_type,
            date=meeting.meeting_date,
            fiscal_year=meeting.fiscal_year,
            wareki=wareki_label(meeting.fiscal_year),
            ad_hoc=meeting.ad_hoc,
            holiday=meeting.holiday,
            holiday_name=meeting.holiday_name,
            regular_date=meeting.regular_date,
            status=meeting.status,
            held_on=meeting.held_on,
            agenda_items=agenda_items,
        )
