"""meetings.domain.calendar: the 4th Wednesday of April–March, holidays flagged and moved."""

from __future__ import annotations

from datetime import date

import pytest

from kasane.business_days import is_business_day
from meetings.domain.calendar import (
    HolidayPolicy,
    fiscal_year_months,
    meeting_day,
    previous_business_day,
    regular_meetings,
)


def test_fiscal_year_runs_april_to_march() -> None:
    months = fiscal_year_months(2025)
    assert months[0] == (2025, 4)
    assert months[-1] == (2026, 3)
    assert len(months) == 12
    assert months[8] == (2025, 12) and months[9] == (2026, 1)


def test_both_meeting_types_every_month_on_the_fourth_wednesday() -> None:
    planned = regular_meetings(2025, HolidayPolicy.NEXT_BUSINESS_DAY)
    assert len(planned) == 24
    assert {p.meeting_type for p in planned} == {"multilayer_meeting", "support_meeting"}
    for p in planned:
        assert p.regular_date.weekday() == 2  # Wednesday
        assert 22 <= p.regular_date.day <= 28  # the 4th one
        assert p.fiscal_year == 2025
    assert planned[0].regular_date == date(2025, 4, 23)
    assert planned[-1].regular_date == date(2026, 3, 25)
    assert [p.meeting_date for p in planned] == sorted(p.meeting_date for p in planned)


def test_fy2025_has_no_holiday() -> None:
    planned = regular_meetings(2025, HolidayPolicy.NEXT_BUSINESS_DAY)
    assert not any(p.holiday for p in planned)
    assert all(p.meeting_date == p.regular_date for p in planned)


def test_labour_thanksgiving_day_2022_is_flagged_and_moved_to_the_next_business_day() -> None:
    planned = regular_meetings(2022, HolidayPolicy.NEXT_BUSINESS_DAY)
    november = [p for p in planned if p.regular_date == date(2022, 11, 23)]
    assert len(november) == 2
    for p in november:
        assert p.holiday is True
        assert p.holiday_name == "勤労感謝の日"
        assert p.meeting_date == date(2022, 11, 24)
    assert sum(p.holiday for p in planned) == 2  # only that month


def test_emperors_birthday_2022_in_fy2021() -> None:
    planned = regular_meetings(2021, HolidayPolicy.NEXT_BUSINESS_DAY)
    february = [p for p in planned if p.regular_date.month == 2]
    assert {p.regular_date for p in february} == {date(2022, 2, 23)}
    assert all(p.holiday and p.meeting_date == date(2022, 2, 24) for p in february)


def test_policy_keep_flags_but_keeps_the_day() -> None:
    planned = regular_meetings(2022, HolidayPolicy.KEEP)
    moved = [p for p in planned if p.holiday]
    assert moved and all(p.meeting_date == p.regular_date for p in moved)


def test_policy_previous_business_day() -> None:
    assert meeting_day(date(2022, 11, 23), HolidayPolicy.PREVIOUS_BUSINESS_DAY) == date(
        2022, 11, 22
    )
    assert previous_business_day(date(2025, 5, 7)) == date(2025, 5, 2)  # over GW and a weekend


def test_a_business_day_is_never_moved() -> None:
    for policy in HolidayPolicy:
        assert meeting_day(date(2025, 6, 25), policy) == date(2025, 6, 25)


def test_moved_meetings_land_on_business_days() -> None:
    for fy in range(2019, 2031):
        for p in regular_meetings(fy, HolidayPolicy.NEXT_BUSINESS_DAY):
            assert is_business_day(p.meeting_date)
            assert p.holiday == (not is_business_day(p.regular_date))


@pytest.mark.parametrize("fy", [1999, 2101])
def test_fiscal_year_out_of_range(fy: int) -> None:
    with pytest.raises(ValueError):
        regular_meetings(fy, HolidayPolicy.KEEP)
