"""kasane.hsds: the directory-entry parts community and participation share."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kasane.hsds import Eligibility, Location, Schedule


def test_schedule_defaults_to_weekly_and_accepts_monthly_ordinals() -> None:
    assert Schedule(byday="MO,TH", opens_at="10:00", closes_at="12:00").freq == "WEEKLY"
    monthly = Schedule(freq="MONTHLY", byday="2WE,-1FR", opens_at="10:00", closes_at="12:00")
    assert monthly.byday == "2WE,-1FR"


@pytest.mark.parametrize(
    "fields",
    [
        {"byday": "Monday", "opens_at": "10:00", "closes_at": "12:00"},
        {"byday": "MO", "opens_at": "12:00", "closes_at": "10:00"},
        {"byday": "MO", "opens_at": "10:00", "closes_at": "12:00", "freq": "DAILY"},
    ],
)
def test_bad_schedules_are_refused(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        Schedule.model_validate(fields)


def test_eligibility_age_range_and_location_district() -> None:
    with pytest.raises(ValidationError):
        Eligibility(age_min=65, age_max=18)
    with pytest.raises(ValidationError):
        Location(school_district_code="99")
    assert Location(school_district_code="05").school_district_code == "05"
