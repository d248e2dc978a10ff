"""Engagement stages and what a PATCH may change."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from kasane.errors import Conflict, Invalid
from outreach.domain.stages import STAGES, check_stage_change
from outreach.domain.targets import TargetPatch, TargetState, plan_patch

TODAY = date(2025, 7, 1)


def change(current: str, new: str, reason: str | None = None, on: date = TODAY) -> object:
    return check_stage_change(
        current, new, reason=reason, changed_on=on, last_changed_on=date(2025, 4, 1), today=TODAY
    )


def test_stages_are_ordered_as_in_the_issue() -> None:
    assert STAGES == ("not_contacted", "contacted", "relationship", "support_started", "stable")


def test_forward_moves_need_no_reason_even_when_skipping() -> None:
    result = change("not_contacted", "support_started")
    assert result is not None and not result.backwards  # type: ignore[attr-defined]


def test_the_same_stage_is_no_change() -> None:
    assert change("relationship", "relationship") is None


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_moving_back_without_a_reason_is_refused(reason: str | None) -> None:
    with pytest.raises(Invalid) as refused:
        change("support_started", "contacted", reason)
    assert (refused.value.status, refused.value.field) == (422, "reason")


def test_moving_back_with_a_reason_is_recorded() -> None:
    result = change("support_started", "contacted", " 訪問を拒まれた ")
    assert result is not None
    assert result.reason == "訪問を拒まれた"  # type: ignore[attr-defined]
    assert result.backwards  # type: ignore[attr-defined]


def test_change_dates_cannot_be_in_the_future_or_before_the_last_change() -> None:
    with pytest.raises(Invalid) as future:
        change("contacted", "relationship", on=date(2025, 7, 2))
    assert future.value.field == "changed_on"
    with pytest.raises(Invalid) as earlier:
        change("contacted", "relationship", on=date(2025, 3, 31))
    assert earlier.value.field == "changed_on"


STATE = TargetState(
    status="open",
    stage="contacted",
    stage_changed_on=date(2025, 5, 1),
    description="雨戸の家",
    school_district_code="01",
    case_id=None,
    person_id=None,
    assigned_worker="w1",
    visit_interval_days=14,
)


def test_only_sent_and_changed_fields_are_updated() -> None:
    updates, stage = plan_patch(
        STATE, TargetPatch(description="雨戸の家", assigned_worker="w2"), TODAY
    )
    assert updates == {"assigned_worker": "w2"}
    assert stage is None


def test_null_clears_optional_fields_but_not_the_description() -> None:
    updates, _ = plan_patch(STATE, TargetPatch(visit_interval_days=None), TODAY)
    assert updates == {"visit_interval_days": None}
    with pytest.raises(Invalid) as refused:
        plan_patch(STATE, TargetPatch(description=None), TODAY)
    assert refused.value.field == "description"


def test_stage_change_sets_stage_and_date() -> None:
    updates, stage = plan_patch(STATE, TargetPatch(stage="relationship"), TODAY)
    assert updates == {"stage": "relationship", "stage_changed_on": TODAY}
    assert stage is not None and stage.from_stage == "contacted"


def test_case_link_is_set_once() -> None:
    case_id = uuid.uuid4()
    updates, _ = plan_patch(STATE, TargetPatch(case_id=case_id), TODAY)
    assert updates == {"case_id": case_id}
    linked = replace(STATE, case_id=case_id)
    assert plan_patch(linked, TargetPatch(case_id=case_id), TODAY) == ({}, None)
    with pytest.raises(Conflict) as refused:
        plan_patch(linked, TargetPatch(case_id=uuid.uuid4()), TODAY)
    assert (refused.value.status, refused.value.field) == (409, "case_id")


def test_an_ended_target_cannot_change() -> None:
    with pytest.raises(Conflict) as refused:
        plan_patch(replace(STATE, status="ended"), TargetPatch(assigned_worker="x"), TODAY)
    assert refused.value.status == 409


def test_a_reason_without_a_stage_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        plan_patch(STATE, TargetPatch(reason="なぜか"), TODAY)
    assert refused.value.field == "stage"
