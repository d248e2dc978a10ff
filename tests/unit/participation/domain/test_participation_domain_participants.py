"""参加支援 participant rules without I/O: bodies, states, visibility, the operator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import uuid4

import pytest
from pydantic import ValidationError

from kasane.errors import Conflict, Forbidden, Invalid, NotFound
from kasane.types import check_not_future
from participation.domain.participants import (
    Access,
    EndIn,
    EnrolIn,
    PlanIn,
    StepIn,
    can_see,
    check_no_open_placements,
    check_not_enrolled,
    check_operator,
    check_referral_accepted,
    check_status,
    current_stage,
    operator,
    participant_id_for,
    visible_to,
)
from participation.domain.placements import (
    PlacementEndIn,
    PlacementIn,
    check_placement_active,
    placement_found,
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
            with pytest.raises(Conflict) as refused:
                check_status(what, status)  # type: ignore[arg-type]
            assert refused.value.status == 409

    def test_open_placements_block_the_end(self) -> None:
        check_no_open_placements(0)
        with pytest.raises(Conflict) as refused:
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
        with pytest.raises(Forbidden) as refused:
            check_operator("houkatsu-01")
        assert refused.value.status == 403

    def test_current_stage_is_the_highest_rung(self) -> None:
        assert current_stage([]) is None
        assert current_stage(["outing", "work_trial", "ibasho"]) == "work_trial"


class TestEnrolmentBasis:
    def test_referral_must_be_accepted_and_unused(self) -> None:
        check_referral_accepted("accepted")
        with pytest.raises(NotFound) as unknown:
            check_referral_accepted(None)
        assert (unknown.value.status, unknown.value.field) == (404, "referral_id")
        with pytest.raises(Conflict, match="requested, not accepted"):
            check_referral_accepted("requested")
        check_not_enrolled(False)
        with pytest.raises(Conflict, match="already enrolled"):
            check_not_enrolled(True)

    def test_the_operator_comes_from_the_agency_table(self) -> None:
        assert operator() == "aso"

    def test_participant_id_from_a_referral_is_stable(self) -> None:
        referral_id = uuid4()
        assert participant_id_for(referral_id) == participant_id_for(referral_id)
        assert participant_id_for(referral_id) != participant_id_for(uuid4())

    def test_unknown_and_hidden_answer_alike(self) -> None:
        @dataclass(frozen=True)
        class Record:
            access: Access

        live = Record(Access(status="active", referring_agency_id="houkatsu-01"))
        assert visible_to("houkatsu-01", live) is live
        for agency, record in [("aso", None), ("kodomo", live)]:
            with pytest.raises(NotFound) as hidden:
                visible_to(agency, record)
            assert hidden.value.field == "participant_id"


class TestDates:
    def test_future_is_invalid(self) -> None:
        check_not_future(date(2025, 7, 1), "reached_on", "r", date(2025, 7, 1))
        with pytest.raises(Invalid) as future:
            check_not_future(date(2025, 7, 2), "reached_on", "r", date(2025, 7, 1))
        assert (future.value.status, future.value.field) == (422, "reached_on")


class TestPlacements:
    def test_bodies(self) -> None:
        with pytest.raises(ValidationError, match="unknown outcome"):
            PlacementEndIn(ended_on="2025-07-01", outcome_code="happy")
        assert PlacementEndIn(ended_on="2025-07-01", outcome_code="next_step")

    def test_found_and_active(self) -> None:
        assert placement_found("p") == "p"
        with pytest.raises(NotFound):
            placement_found(None)
        check_placement_active("active")
        with pytest.raises(Conflict) as ended:
            check_placement_active("ended")
        assert ended.value.field == "status"
