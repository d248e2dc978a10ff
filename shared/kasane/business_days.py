"""Japanese business days for municipal work (pure; holidays from ``jpholiday``).

A business day (開庁日) is a weekday that is neither a national public holiday (祝日・振替休日・
国民の休日) nor part of the year-end closure 12/29–1/3 (年末年始, 地方自治法 4条の2 and each
city's 休日条例). Referral due dates and meeting dates both use this one rule.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import jpholiday


def is_public_holiday(day: date) -> bool:
    return bool(jpholiday.is_holiday(day))


def holiday_name(day: date) -> str | None:
    name = jpholiday.is_holiday_name(day)
    return str(name) if name else None


def is_year_end_closure(day: date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day) and not is_year_end_closure(day)


def next_business_day(day: date) -> date:
    """The first business day strictly after ``day``."""
    day += timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def add_business_days(start: date, days: int) -> date:
    """``start`` plus ``days`` business days (start itself not counted); days >= 0."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    for _ in range(days):
        current = next_business_day(current)
    return current


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end`` (0 if end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_business_day(current)
    return count


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th ``weekday`` (0 = Monday) of a month, e.g. the 4th Wednesday: (…, 2, 4)."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    day = first + timedelta(days=offset + 7 * (n - 1))
    if day.month != month:
        raise ValueError(f"{year}-{month:02d} has no {n}th weekday {weekday}")
    return day


def fourth_wednesday(year: int, month: int) -> date:
    return nth_weekday(year, month, calendar.WEDNESDAY, 4)
