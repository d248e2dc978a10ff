"""meetings.domain.access: who sees which agenda item, pack and plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from kasane.auth import Principal
from kasane.ids import uuid7
from meetings.domain.access import (
    item_hidden_reason,
    may_do_case_work,
    pack_denial,
    plan_access_basis,
)
from meetings.domain.members import Member

Factory = Callable[..., Any]
DAY = date(2025, 8, 27)  # the meeting day of the fixtures


def test_city_roles_do_no_case_work() -> None:
    assert not may_do_case_work(Principal("c", "city-chiiki-fukushi", frozenset({"city_official"})))
    assert not may_do_case_work(Principal("a", "shakyo", frozenset({"auditor"})))
    assert may_do_case_work(Principal("s", "jiritsu", frozenset({"counselor"})))


def test_pack_for_the_coordinator_always(make_meeting: Factory) -> None:
    assert pack_denial(make_meeting(meeting_type="support_meeting"), "shakyo", None) is None


def test_non_member_gets_403(make_meeting: Factory) -> None:
    denied = pack_denial(make_meeting(), "npo-kurume", None)
    assert denied is not None and (denied.status, denied.field) == (403, "agency")


def test_support_meeting_needs_admission_and_the_pledge(make_meeting: Factory) -> None:
    meeting = make_meeting(meeting_type="support_meeting")
    invited = pack_denial(meeting, "jiritsu", Member("jiritsu", "default"))
    assert invited is not None and invited.field == "agency" and "社協" in invited.reason
    pledged_only = Member("jiritsu", "default", pledged_on=date(2025, 4, 1))
    assert pack_denial(meeting, "jiritsu", pledged_only) is not None
    admitted = Member("jiritsu", "default", admitted_on=date(2025, 8, 1))
    denied = pack_denial(meeting, "jiritsu", admitted)
    assert denied is not None and denied.field == "pledge"
    both = Member("jiritsu", "default", pledged_on=date(2025, 4, 1), admitted_on=date(2025, 8, 1))
    assert pack_denial(meeting, "jiritsu", both) is None


def test_multilayer_member_needs_no_pledge(make_meeting: Factory) -> None:
    assert pack_denial(make_meeting(), "jiritsu", Member("jiritsu", "default")) is None


def test_item_visible_under_consent(
    make_meeting: Factory, make_item: Factory, make_consent: Factory
) -> None:
    meeting = make_meeting()
    c = make_consent(scope_agencies=frozenset({"kodomo"}))
    item = make_item(case_id=c.case_id, consent_id=c.consent_id)
    member = Member("kodomo", "default")
    assert item_hidden_reason(meeting, "kodomo", member, item, [c], None, DAY) is None
    # An empty agency scope names nobody: only 社協, the 主担当 and the presenter see it.
    unnamed = make_consent(case_id=c.case_id)
    assert item_hidden_reason(meeting, "kodomo", member, item, [unnamed], None, DAY) is not None
    assert item_hidden_reason(meeting, "shakyo", None, item, [unnamed], None, DAY) is None


def test_item_hidden_after_withdrawal_except_for_the_coordinator(
    make_meeting: Factory, make_item: Factory, make_consent: Factory
) -> None:
    meeting = make_meeting()
    c = make_consent(withdrawn_on=date(2025, 8, 20))
    item = make_item(case_id=c.case_id, consent_id=c.consent_id)
    assert item_hidden_reason(meeting, "kodomo", Member("kodomo", "default"), item, [c], None, DAY)
    assert item_hidden_reason(meeting, "shakyo", None, item, [c], None, DAY) is None


def test_consent_naming_agencies_hides_the_item_from_others(
    make_meeting: Factory, make_item: Factory, make_consent: Factory
) -> None:
    meeting = make_meeting()
    c = make_consent(scope_agencies=frozenset({"jiritsu"}))
    item = make_item(case_id=c.case_id, consent_id=c.consent_id)
    jiritsu = Member("jiritsu", "default")
    assert item_hidden_reason(meeting, "jiritsu", jiritsu, item, [c], None, DAY) is None
    assert "範囲外" in (
        item_hidden_reason(meeting, "kodomo", Member("kodomo", "default"), item, [c], None, DAY)
        or ""
    )


def test_lead_and_presenting_agencies_see_their_item_whatever_the_consent_names(
    make_meeting: Factory, make_item: Factory, make_consent: Factory
) -> None:
    meeting = make_meeting()
    c = make_consent(scope_agencies=frozenset({"jiritsu"}))
    item = make_item(case_id=c.case_id, consent_id=c.consent_id, presenting_agency_id="kikan-01")
    lead = Member("houkatsu-03", "default")
    assert item_hidden_reason(meeting, "houkatsu-03", lead, item, [c], "houkatsu-03", DAY) is None
    presenter = Member("kikan-01", "default")
    assert item_hidden_reason(meeting, "kikan-01", presenter, item, [c], "houkatsu-03", DAY) is None
    other = Member("kodomo", "default")
    assert item_hidden_reason(meeting, "kodomo", other, item, [c], "houkatsu-03", DAY) is not None


def test_case_specific_member_sees_its_cases_only(
    make_meeting: Factory, make_item: Factory
) -> None:
    meeting = make_meeting(meeting_type="support_meeting")
    mine, other = uuid7(), uuid7()
    member = Member(
        "aso", "case", frozenset({mine}), pledged_on=date(2025, 8, 1), admitted_on=date(2025, 8, 1)
    )
    seen = make_item(case_id=mine, legal_basis="support_meeting", consent_id=None)
    unseen = make_item(case_id=other, legal_basis="support_meeting", consent_id=None)
    assert item_hidden_reason(meeting, "aso", member, seen, [], None, DAY) is None
    assert item_hidden_reason(meeting, "aso", member, unseen, [], None, DAY) is not None


def test_support_item_hidden_without_pledge(make_meeting: Factory, make_item: Factory) -> None:
    meeting = make_meeting(meeting_type="support_meeting")
    item = make_item(legal_basis="support_meeting", consent_id=None, kind="urgent_case")
    assert item_hidden_reason(meeting, "jiritsu", Member("jiritsu", "default"), item, [], None, DAY)


def test_plan_access_basis(make_plan: Factory) -> None:
    plan = make_plan(program="participation")
    assert plan_access_basis("shakyo", plan, [], False) == "operator"
    assert plan_access_basis("aso", plan, [], False) == "owner"
    assert plan_access_basis("jiritsu", plan, ["jiritsu"], False) == "plan_role"
    assert plan_access_basis("kodomo", plan, ["jiritsu"], True) == "consent"
    assert plan_access_basis("kodomo", plan, ["jiritsu"], False) is None
    assert plan_access_basis("aso", make_plan(program="multiagency"), [], False) is None
