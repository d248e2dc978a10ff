"""meetings.domain.agenda and .meeting: kinds, legal basis, plan references, meeting state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from kasane.errors import DomainError
from kasane.ids import uuid7
from meetings.domain.agenda import (
    AgendaItemIn,
    basis_for,
    check_consent_still_valid,
    check_kind,
    check_plan,
)
from meetings.domain.meeting import (
    check_can_hold,
    check_open_for_agenda,
    check_open_for_decisions,
)

Factory = Callable[..., Any]

DAY = date(2025, 8, 27)  # the fixtures' meeting day


def refused(fn: Callable[[], object]) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn()
    return info.value


@pytest.mark.parametrize(
    ("meeting_type", "kind", "ok"),
    [
        ("multilayer_meeting", "plan_appropriateness", True),
        ("multilayer_meeting", "plan_evaluation", True),
        ("multilayer_meeting", "resource_gap", True),
        ("multilayer_meeting", "information_sharing", False),
        ("support_meeting", "information_sharing", True),
        ("support_meeting", "watch_policy", True),
        ("support_meeting", "urgent_case", True),
        ("support_meeting", "plan_appropriateness", False),
    ],
)
def test_kinds_belong_to_their_meeting_type(
    make_meeting: Factory, meeting_type: str, kind: str, ok: bool
) -> None:
    meeting = make_meeting(meeting_type=meeting_type)
    if ok:
        check_kind(meeting, kind)
    else:
        error = refused(lambda: check_kind(meeting, kind))
        assert (error.status, error.field) == (422, "kind")


def test_unknown_kind_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        AgendaItemIn.model_validate({"case_id": str(uuid7()), "kind": "gossip"})


def test_unknown_presenting_agency_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        AgendaItemIn.model_validate(
            {"case_id": str(uuid7()), "kind": "urgent_case", "presenting_agency_id": "nobody"}
        )


def test_multilayer_without_consent_is_refused_409(make_meeting: Factory) -> None:
    error = refused(lambda: basis_for(make_meeting(), []))
    assert (error.status, error.field) == (409, "consent")


def test_multilayer_with_consent_uses_it(make_meeting: Factory, make_consent: Factory) -> None:
    c = make_consent()
    basis = basis_for(make_meeting(), [c])
    assert (basis.legal_basis, basis.consent_id) == ("consent", c.consent_id)


def test_support_meeting_needs_no_consent(make_meeting: Factory) -> None:
    basis = basis_for(make_meeting(meeting_type="support_meeting"), [])
    assert (basis.legal_basis, basis.consent_id) == ("support_meeting", None)


def test_withdrawn_consent_is_refused_with_the_reason(
    make_meeting: Factory, make_consent: Factory
) -> None:
    error = refused(
        lambda: basis_for(make_meeting(), [make_consent(withdrawn_on=date(2025, 8, 20))])
    )
    assert error.status == 409 and "撤回" in error.reason


def test_plan_kinds_need_a_plan_in_the_right_state(make_plan: Factory) -> None:
    case_id = uuid7()
    error = refused(lambda: check_plan("plan_appropriateness", case_id, None, None))
    assert (error.status, error.field) == (422, "plan_id")
    missing = uuid7()
    assert refused(lambda: check_plan("plan_evaluation", case_id, None, missing)).status == 404
    other_case = make_plan()
    assert (
        refused(
            lambda: check_plan("plan_appropriateness", case_id, other_case, other_case.id)
        ).status
        == 422
    )
    submitted = make_plan(case_id=case_id)
    check_plan("plan_appropriateness", case_id, submitted, submitted.id)
    never_approved = refused(
        lambda: check_plan("plan_evaluation", case_id, submitted, submitted.id)
    )
    assert (never_approved.status, never_approved.field) == (409, "plan_id")
    approved = make_plan(case_id=case_id, status="approved", approved_on=date(2025, 6, 25))
    check_plan("plan_evaluation", case_id, approved, approved.id)
    assert (
        refused(lambda: check_plan("plan_appropriateness", case_id, approved, approved.id)).status
        == 409
    )


def test_consent_withdrawn_after_the_item_was_added_stops_decisions(
    make_meeting: Factory, make_item: Factory, make_consent: Factory
) -> None:
    meeting = make_meeting()
    c = make_consent()
    item = make_item(consent_id=c.consent_id)
    check_consent_still_valid(meeting, item, [c])
    gone = make_consent(consent_id=c.consent_id, withdrawn_on=date(2025, 8, 26))
    assert refused(lambda: check_consent_still_valid(meeting, item, [gone])).field == "consent"
    support_item = make_item(legal_basis="support_meeting", consent_id=None)
    check_consent_still_valid(make_meeting(meeting_type="support_meeting"), support_item, [])


def test_held_meeting_takes_no_more_agenda(make_meeting: Factory) -> None:
    check_open_for_agenda(make_meeting())
    held = make_meeting(status="held", held_on=date(2025, 8, 27))
    assert refused(lambda: check_open_for_agenda(held)).status == 409


def test_decisions_from_the_meeting_day_until_closed(make_meeting: Factory) -> None:
    meeting = make_meeting()
    assert refused(lambda: check_open_for_decisions(meeting, date(2025, 8, 26))).status == 409
    check_open_for_decisions(meeting, date(2025, 8, 27))
    check_open_for_decisions(meeting, date(2025, 9, 1))
    held = make_meeting(status="held", held_on=date(2025, 8, 27))
    assert refused(lambda: check_open_for_decisions(held, date(2025, 9, 1))).status == 409


def test_holding_rules(make_meeting: Factory) -> None:
    meeting = make_meeting()
    check_can_hold(meeting, date(2025, 8, 27), date(2025, 8, 27))
    assert (
        refused(lambda: check_can_hold(meeting, date(2025, 8, 28), date(2025, 8, 27))).status == 422
    )
    assert (
        refused(lambda: check_can_hold(meeting, date(2025, 8, 26), date(2025, 8, 27))).status == 422
    )
    held = make_meeting(status="held", held_on=date(2025, 8, 27))
    assert refused(lambda: check_can_hold(held, date(2025, 8, 27), date(2025, 8, 28))).status == 409
