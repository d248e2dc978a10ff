"""Rules that used to live in meetings' routes, now pure domain functions: who presents,
whose pack, the 臨時 date range, pledge terms, attendees, a due review date, gap counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kasane.errors import DomainError
from meetings.domain.access import pack_recipient
from meetings.domain.agenda import presenter_for
from meetings.domain.calendar import check_ad_hoc_date
from meetings.domain.gaps import count_by_category
from meetings.domain.members import Member, already_pledged, attendees, pledge_terms
from meetings.domain.plans import check_submittable

Factory = Callable[..., Any]
TODAY = date(2025, 8, 27)


def refusal(fn: Callable[[], object]) -> tuple[int, str]:
    with pytest.raises(DomainError) as info:
        fn()
    return info.value.status, info.value.field


def test_a_member_presents_for_itself_only_shakyo_for_others() -> None:
    assert presenter_for(None, "kodomo", coordinator=False) == "kodomo"
    assert presenter_for("kodomo", "kodomo", coordinator=False) == "kodomo"
    assert presenter_for("kodomo", "shakyo", coordinator=True) == "kodomo"
    assert refusal(lambda: presenter_for("jiritsu", "kodomo", coordinator=False)) == (
        422,
        "presenting_agency_id",
    )


def test_only_shakyo_prepares_another_members_pack() -> None:
    assert pack_recipient("kodomo", None) == "kodomo"
    assert pack_recipient("kodomo", "kodomo") == "kodomo"
    assert pack_recipient("shakyo", "kodomo") == "kodomo"
    assert refusal(lambda: pack_recipient("kodomo", "jiritsu")) == (403, "for_agency")
    assert refusal(lambda: pack_recipient("shakyo", "nowhere")) == (422, "for_agency")


def test_ad_hoc_meetings_only_in_supported_fiscal_years() -> None:
    check_ad_hoc_date(TODAY)
    assert refusal(lambda: check_ad_hoc_date(date(1999, 5, 1))) == (422, "date")
    assert refusal(lambda: check_ad_hoc_date(date(2101, 4, 1))) == (422, "date")


def test_pledge_defaults_to_today_and_its_fiscal_year() -> None:
    assert pledge_terms(None, None, TODAY) == (2025, TODAY)
    assert pledge_terms(date(2025, 3, 20), 2025, TODAY) == (2025, date(2025, 3, 20))


def test_pledge_refused_in_the_future_or_for_a_far_year() -> None:
    assert refusal(lambda: pledge_terms(date(2025, 8, 28), None, TODAY)) == (422, "pledged_on")
    assert refusal(lambda: pledge_terms(date(2025, 4, 1), 2027, TODAY)) == (422, "fiscal_year")
    twice = already_pledged(2025, date(2025, 4, 1))
    assert (twice.status, twice.field) == (409, "agency_id") and "2025-04-01" in twice.reason


def test_attendees_default_to_members_of_a_support_meeting_admitted_and_pledged() -> None:
    members = {
        "shakyo": Member("shakyo", "default"),
        "kodomo": Member("kodomo", "default", pledged_on=TODAY, admitted_on=TODAY),
        "jiritsu": Member("jiritsu", "default", pledged_on=TODAY),
    }
    assert attendees(None, members, "support_meeting") == ["kodomo", "shakyo"]
    assert attendees(None, members, "multilayer_meeting") == ["jiritsu", "kodomo", "shakyo"]
    assert attendees(["kodomo", "kodomo"], members, "support_meeting") == ["kodomo"]
    assert refusal(lambda: attendees(["aso"], members, "support_meeting")) == (
        422,
        "attendee_agency_ids",
    )


def test_a_plan_with_a_past_review_date_is_not_submitted(make_plan: Factory) -> None:
    draft = make_plan(status="draft", review_on=date(2025, 11, 30))
    check_submittable(draft, TODAY)
    overdue = make_plan(status="returned", review_on=TODAY)
    assert refusal(lambda: check_submittable(overdue, TODAY)) == (422, "review_on")
    assert refusal(lambda: check_submittable(make_plan(status="approved"), TODAY)) == (
        409,
        "plan_id",
    )


def test_gaps_are_counted_by_category_in_code_order() -> None:
    assert count_by_category(["mobility", "ibasho", "mobility"]) == {"ibasho": 1, "mobility": 2}
    assert count_by_category([]) == {}
