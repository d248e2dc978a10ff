"""参加支援 rules without I/O: bodies, states, visibility, capacity, matching."""

from __future__ import annotations

from uuid import uuid4

import pytest
from pydantic import ValidationError

from kasane.hsds import Eligibility, Schedule
from kasane.web.errors import Refused
from participation.matching import Candidate, band_range, eligible, proximity, suggest
from participation.participants import (
    Access,
    EndIn,
    EnrolIn,
    PlacementIn,
    PlanIn,
    StepIn,
    can_see,
    check_no_open_placements,
    check_operator,
    check_status,
    current_stage,
)
from participation.resources import (
    ResourceIn,
    check_new_capacity,
    check_room,
    effective_capacity,
    free_places,
)


class TestBodies:
    def test_enrol_needs_exactly_one_basis(self) -> None:
        assert EnrolIn(referral_id=uuid4()).referral_id is not None
        assert EnrolIn(meeting_decision_id=uuid4(), case_id=uuid4()).case_id is not None
        with pytest.raises(ValidationError, match="exactly one"):
            EnrolIn()
        with pytest.raises(ValidationError, match="exactly one"):
            EnrolIn(referral_id=uuid4(), meeting_decision_id=uuid4(), case_id=uuid4())
        with pytest.raises(ValidationError, match="needs case_id"):
            EnrolIn(meeting_decision_id=uuid4())
        with pytest.raises(ValidationError, match="age_band"):
            EnrolIn(referral_id=uuid4(), age_band="42")
        with pytest.raises(ValidationError, match="school district"):
            EnrolIn(referral_id=uuid4(), school_district_code="99")

    def test_plan_and_step_stages_are_codes(self) -> None:
        plan = PlanIn(wishes="人と話したい", goals="週1回外出", steps=[{"stage": "outing"}])
        assert plan.steps[0].stage == "outing"
        with pytest.raises(ValidationError, match="unknown stage"):
            PlanIn(wishes="w", goals="g", steps=[{"stage": "moon"}])
        with pytest.raises(ValidationError):
            PlanIn(wishes="", goals="g", steps=[{"stage": "outing"}])
        with pytest.raises(ValidationError, match="unknown stage"):
            StepIn(stage="moon", reached_on="2025-07-01")

    def test_dates_and_outcomes(self) -> None:
        with pytest.raises(ValidationError, match="planned_end_on"):
            PlacementIn(resource_id=uuid4(), started_on="2025-07-10", planned_end_on="2025-07-01")
        with pytest.raises(ValidationError, match="unknown outcome"):
            EndIn(ended_on="2025-07-01", outcome_code="happy")

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


class TestStates:
    def test_allowed_and_refused(self) -> None:
        check_status("plan", "enrolled")
        check_status("place", "active")
        check_status("step", "plan_submitted")
        for what, status in [
            ("plan", "plan_submitted"),
            ("plan", "active"),
            ("place", "enrolled"),
            ("place", "plan_submitted"),
            ("step", "ended"),
            ("end", "ended"),
            ("end", "revoked"),
        ]:
            with pytest.raises(Refused) as refused:
                check_status(what, status)  # type: ignore[arg-type]
            assert refused.value.status == 409

    def test_open_placements_block_the_end(self) -> None:
        check_no_open_placements(0)
        with pytest.raises(Refused) as refused:
            check_no_open_placements(2)
        assert refused.value.status == 409

    def test_visibility(self) -> None:
        live = Access(status="active", referring_agency_id="houkatsu-01")
        assert can_see("aso", live)
        assert can_see("houkatsu-01", live)
        assert not can_see("kodomo", live)
        revoked = Access(status="revoked", referring_agency_id="houkatsu-01")
        assert not can_see("aso", revoked)
        assert not can_see("houkatsu-01", revoked)
        check_operator("aso")
        with pytest.raises(Refused) as refused:
            check_operator("houkatsu-01")
        assert refused.value.status == 403

    def test_current_stage_is_the_highest_rung(self) -> None:
        assert current_stage([]) is None
        assert current_stage(["outing", "work_trial", "ibasho"]) == "work_trial"


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
        with pytest.raises(Refused) as refused:
            check_room(2, 2)
        assert (refused.value.status, refused.value.field) == (409, "resource_id")

    def test_capacity_below_use_is_409(self) -> None:
        check_new_capacity(3, 3)
        with pytest.raises(Refused):
            check_new_capacity(1, 2)


def cand(rid: str, **kw: object) -> Candidate:
    fields: dict[str, object] = {
        "resource_id": rid,
        "category": "ibasho",
        "school_district_code": "01",
        "age_min": None,
        "age_max": None,
        "free": 1,
    }
    fields.update(kw)
    return Candidate(**fields)  # type: ignore[arg-type]


class TestMatching:
    def test_band_overlaps_range(self) -> None:
        assert band_range("40-49") == (40, 49)
        assert band_range("90+")[0] == 90
        assert eligible("40-49", 15, 44)
        assert not eligible("40-49", 15, 39)
        assert not eligible("10-19", 20, None)
        assert eligible("90+", 65, None)
        assert eligible(None, 20, 30)

    def test_proximity(self) -> None:
        # Sample table: 校区01–05 are in 日常生活圏域01.
        assert proximity("01", "01") == "school_district"
        assert proximity("01", "02") == "daily_life_area"
        assert proximity("01", None) == "citywide"
        far = next(
            code for code in (f"{n:02d}" for n in range(6, 47)) if proximity("01", code) == "other"
        )
        assert proximity("01", far) == "other"

    def test_suggest_filters_and_ranks(self) -> None:
        candidates = [
            cand("a-near"),
            cand("b-area", school_district_code="02", free=5),
            cand("c-city", school_district_code=None, free=None),
            cand("d-full", free=0),
            cand("e-young", age_max=29),
            cand("f-work", category="work_trial"),
        ]
        found = suggest(
            candidates, age_band="40-49", home_district="01", category="ibasho", within="city"
        )
        assert [m.candidate.resource_id for m in found] == ["a-near", "b-area", "c-city"]
        near = suggest(
            candidates,
            age_band="40-49",
            home_district="01",
            category="ibasho",
            within="school_district",
        )
        assert [m.candidate.resource_id for m in near] == ["a-near", "c-city"]
        any_category = suggest(
            candidates, age_band="40-49", home_district="01", category=None, within="city"
        )
        assert "f-work" in [m.candidate.resource_id for m in any_category]
