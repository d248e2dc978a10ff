"""The meeting calendar of a fiscal year: 重層的支援会議 and 支援会議 on the 4th Wednesday of
every month, April to March (seed 第4 開催日 毎月第４水曜日).

When the 4th Wednesday is not a business day (a 祝日, e.g. 勤労感謝の日 on 2022-11-23), the
meeting is flagged ``holiday`` and moved as the policy says: to the next business day by
default, the previous one, or kept on the day (flag only).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from kasane.business_days import fourth_wednesday, holiday_name, is_business_day, next_business_day
from kasane.errors import Invalid
from kasane.fiscal_year import fiscal_year_bounds, fiscal_year_of

MEETING_TYPES: tuple[str, ...] = ("multilayer_meeting", "support_meeting")
MIN_FISCAL_YEAR = 2000
MAX_FISCAL_YEAR = 2100


class HolidayPolicy(enum.StrEnum):
    NEXT_BUSINESS_DAY = "next_business_day"
    PREVIOUS_BUSINESS_DAY = "previous_business_day"
    KEEP = "keep"


@dataclass(frozen=True)
class PlannedMeeting:
    meeting_type: str
    fiscal_year: int
    regular_date: date  # the 4th Wednesday
    meeting_date: date  # the day it is held (moved if regular_date is not a business day)
    holiday: bool
    holiday_name: str | None


def previous_business_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def meeting_day(regular: date, policy: HolidayPolicy) -> date:
    if is_business_day(regular) or policy is HolidayPolicy.KEEP:
        return regular
    if policy is HolidayPolicy.PREVIOUS_BUSINESS_DAY:
        return previous_business_day(regular)
    return next_business_day(regular)


def fiscal_year_months(fiscal_year: int) -> list[tuple[int, int]]:
    """(year, month) of April … March of the fiscal year."""
    first, _ = fiscal_year_bounds(fiscal_year)
    return [
        (first.year + (first.month + i - 1) // 12, (first.month + i - 1) % 12 + 1)
        for i in range(12)
    ]


def regular_meetings(fiscal_year: int, policy: HolidayPolicy) -> list[PlannedMeeting]:
    """Both meeting types for each month of the fiscal year, in date order."""
    if not MIN_FISCAL_YEAR <= fiscal_year <= MAX_FISCAL_YEAR:
        raise ValueError(f"fiscal year must be {MIN_FISCAL_YEAR}–{MAX_FISCAL_YEAR}")
    planned = []
    for year, month in fiscal_year_months(fiscal_year):
        regular = fourth_wednesday(year, month)
        for meeting_type in MEETING_TYPES:
            planned.append(
                PlannedMeeting(
                    meeting_type=meeting_type,
                    fiscal_year=fiscal_year,
                    regular_date=regular,
                    meeting_date=meeting_day(regular, policy),
                    holiday=not is_business_day(regular),
                    holiday_name=holiday_name(regular),
                )
            )
    return planned


def check_ad_hoc_date(day: date) -> None:
    """臨時 meetings on any day, within the fiscal years the calendar supports."""
    if not MIN_FISCAL_YEAR <= fiscal_year_of(day) <= MAX_FISCAL_YEAR:
        raise Invalid("date", "対象外の年度です / date out of the supported range")
