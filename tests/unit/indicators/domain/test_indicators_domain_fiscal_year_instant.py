"""indicators.domain.fiscal_year_of_instant: 年度 follows the Japanese calendar date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from indicators.domain.fiscal_years import fiscal_year_of_instant
from kasane.fiscal_year import fiscal_year_of

JST = timezone(timedelta(hours=9))


def test_utc_evening_of_31_march_is_already_april_in_japan() -> None:
    # 2026-03-31T15:30Z is 2026-04-01 00:30 JST.
    assert fiscal_year_of_instant(datetime(2026, 3, 31, 15, 30, tzinfo=UTC)) == 2026


def test_one_minute_before_japanese_midnight_is_the_previous_year() -> None:
    # 2026-03-31T14:59Z is 2026-03-31 23:59 JST.
    assert fiscal_year_of_instant(datetime(2026, 3, 31, 14, 59, tzinfo=UTC)) == 2025


def test_exact_boundary() -> None:
    boundary = datetime(2026, 4, 1, 0, 0, tzinfo=JST)
    assert fiscal_year_of_instant(boundary) == 2026
    assert fiscal_year_of_instant(boundary - timedelta(microseconds=1)) == 2025
    assert fiscal_year_of_instant(boundary.astimezone(UTC)) == 2026


@pytest.mark.parametrize("offset_hours", [-10, -5, 0, 5.5, 9, 14])
def test_the_same_instant_gives_the_same_year_in_any_zone(offset_hours: float) -> None:
    zone = timezone(timedelta(hours=offset_hours))
    for instant in (
        datetime(2026, 3, 31, 14, 59, tzinfo=UTC),
        datetime(2026, 3, 31, 15, 0, tzinfo=UTC),
        datetime(2025, 4, 1, 8, 0, tzinfo=UTC),
    ):
        assert fiscal_year_of_instant(instant.astimezone(zone)) == fiscal_year_of_instant(instant)


def test_agrees_with_the_japanese_calendar_date_over_a_year() -> None:
    start = datetime(2025, 3, 30, 0, 0, tzinfo=UTC)
    for hours in range(0, 24 * 400, 7):
        instant = start + timedelta(hours=hours)
        assert fiscal_year_of_instant(instant) == fiscal_year_of(instant.astimezone(JST).date())
