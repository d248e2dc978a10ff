"""参加支援's resource directory without I/O: the HSDS body and the capacity rules."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from kasane.errors import Conflict, NotFound
from kasane.hsds import Eligibility, Schedule
from participation.domain.resources import (
    ResourceIn,
    check_new_capacity,
    check_open,
    check_room,
    effective_capacity,
    free_places,
    resource_found,
)


class TestBody:
    def test_hsds_resource(self) -> None:
        resource = ResourceIn.model_validate(
            {
                "organization": {"name": "NPO法人 つながり"},
                "service": {"name": "居場所カフェ", "category": "ibasho"},
                "location": {"school_district_code": "03"},
                "schedules": [{"byday": "MO,WE", "opens_at": "10:00", "closes_at": "15:00"}],
                "eligibility": {"age_min": 15, "age_max": 64},
                "capacity": 5,
            }
        )
        assert resource.capacity == 5
        with pytest.raises(ValidationError, match="unknown category"):
            ResourceIn.model_validate(
                {"organization": {"name": "x"}, "service": {"name": "y", "category": "zoo"}}
            )
        with pytest.raises(ValidationError, match="age_min"):
            Eligibility(age_min=60, age_max=20)
        with pytest.raises(ValidationError, match="byday"):
            Schedule(byday="Monday", opens_at="10:00", closes_at="11:00")
        with pytest.raises(ValidationError, match="closes_at"):
            Schedule(byday="MO", opens_at="10:00", closes_at="09:00")


class TestCapacity:
    def test_override_and_free_places(self) -> None:
        assert effective_capacity(10, None) == 10
        assert effective_capacity(10, 2) == 2
        assert effective_capacity(None, None) is None
        assert free_places(3, 1) == 2
        assert free_places(None, 7) is None

    def test_full_resource_is_409(self) -> None:
        check_room(2, 1)
        check_room(None, 100)
        with pytest.raises(Conflict) as refused:
            check_room(2, 2)
        assert (refused.value.status, refused.value.field) == (409, "resource_id")

    def test_capacity_below_use_is_409(self) -> None:
        check_new_capacity(3, 3)
        with pytest.raises(Conflict):
            check_new_capacity(1, 2)

    def test_withdrawn_and_unknown_resources(self) -> None:
        check_open(None)
        with pytest.raises(Conflict, match="withdrawn"):
            check_open(date(2025, 7, 1))
        with pytest.raises(NotFound) as unknown:
            resource_found(None)
        assert unknown.value.field == "resource_id"
