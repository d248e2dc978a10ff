"""Plan content validation, plan state rules, default members and pledges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from kasane.errors import DomainError
from kasane.ids import uuid7
from kasane.reference.agencies import default_meeting_participants
from meetings.domain.members import (
    Member,
    check_admission,
    default_member_ids,
    member_order,
    pledge_year_problem,
)
from meetings.domain.plans import (
    PlanIn,
    accepts_submission,
    check_content_date,
    check_revisable,
)

Factory = Callable[..., Any]


def plan_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "case_id": str(uuid7()),
        "household_wishes": "家で暮らし続けたい",
        "issues": [{"issue_code": "8050"}, {"issue_code": "elderly_care"}],
        "long_term_goal": "安心して暮らす",
        "short_term_goals": ["介護サービスを使う"],
        "roles": [
            {"agency_id": "houkatsu-01", "role_code": "elderly_care", "lead": True},
            {"agency_id": "jiritsu", "role_code": "livelihood"},
        ],
        "review_on": "2025-12-01",
    }
    body.update(overrides)
    return body


def error_fields(**overrides: Any) -> set[str]:
    with pytest.raises(ValidationError) as info:
        PlanIn.model_validate(plan_body(**overrides))
    return {str(e["loc"][0]) for e in info.value.errors()}


def test_a_valid_plan() -> None:
    plan = PlanIn.model_validate(plan_body())
    assert plan.submit is True and [r.lead for r in plan.roles] == [True, False]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"roles": [{"agency_id": "jiritsu", "role_code": "livelihood"}]}, "roles"),  # no 主担当
        ({"roles": []}, "roles"),
        ({"roles": [{"agency_id": "nowhere", "role_code": "other", "lead": True}]}, "roles"),
        ({"roles": [{"agency_id": "jiritsu", "role_code": "magic", "lead": True}]}, "roles"),
        ({"issues": [{"issue_code": "unknown"}]}, "issues"),
        ({"issues": [{"issue_code": "8050"}, {"issue_code": "8050"}]}, "issues"),
        ({"issues": []}, "issues"),
        ({"short_term_goals": []}, "short_term_goals"),
        ({"short_term_goals": ["  "]}, "short_term_goals"),
        ({"household_wishes": ""}, "household_wishes"),
        ({"name": "久留米 太郎"}, "name"),
    ],
)
def test_invalid_plans(overrides: dict[str, Any], field: str) -> None:
    assert field in error_fields(**overrides)


def test_review_date_in_the_future() -> None:
    plan = PlanIn.model_validate(plan_body(review_on="2025-08-01"))
    with pytest.raises(DomainError) as info:
        check_content_date(plan, date(2025, 8, 1))
    assert info.value.field == "review_on"
    check_content_date(plan, date(2025, 7, 31))


def test_only_draft_or_returned_multiagency_plans_are_revised(make_plan: Factory) -> None:
    check_revisable(make_plan(status="draft"))
    check_revisable(make_plan(status="returned"))
    for plan in (make_plan(status="approved"), make_plan(program="outreach", status="returned")):
        with pytest.raises(DomainError):
            check_revisable(plan)


def test_which_plans_a_submission_requeues() -> None:
    assert accepts_submission(None) and accepts_submission("returned")
    assert accepts_submission("approved")  # a revised plan needs approval again
    assert not accepts_submission("submitted") and not accepts_submission("ended")


def test_default_members_follow_seed_4_with_the_operator_first() -> None:
    ids = default_member_ids()
    assert "shakyo" in ids
    assert set(ids) >= {a.id for a in default_meeting_participants()}
    assert {"houkatsu-01", "kikan-04", "kodomo", "jiritsu", "aso", "city-choju"} <= set(ids)
    assert sorted(ids, key=member_order)[0] == "shakyo"
    assert member_order("houkatsu-01") < member_order("city-choju") < member_order("zzz")


def test_admission_is_for_invited_members_of_a_meeting_not_yet_held(
    make_meeting: Factory,
) -> None:
    support = make_meeting(meeting_type="support_meeting")
    members = {"jiritsu": Member("jiritsu", "default")}
    check_admission(support, members, ["jiritsu"])
    with pytest.raises(DomainError) as stranger:
        check_admission(support, members, ["jiritsu", "npo-kurume"])
    assert (stranger.value.status, stranger.value.field) == (404, "agency_ids")
    held = make_meeting(meeting_type="support_meeting", status="held", held_on=date(2025, 8, 27))
    with pytest.raises(DomainError) as late:
        check_admission(held, members, ["jiritsu"])
    assert late.value.status == 409


def test_a_pledge_covers_the_year_it_is_signed_in_or_the_next() -> None:
    assert pledge_year_problem(2025, date(2025, 4, 1)) is None
    assert pledge_year_problem(2025, date(2026, 3, 31)) is None
    assert pledge_year_problem(2025, date(2025, 3, 20)) is None  # signed in advance
    assert pledge_year_problem(2025, date(2026, 4, 1)) is not None
    assert pledge_year_problem(2025, date(2024, 3, 31)) is not None
