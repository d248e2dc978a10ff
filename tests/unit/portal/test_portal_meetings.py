"""The meeting screens' pure rules: the calendar by month in 和暦, the 臨時 form, decisions
(one 主担当, reasons by kind), closing."""

from __future__ import annotations

from starlette.datastructures import FormData

from kasane.auth.principal import Principal
from portal.domain import meetings as rules
from portal.domain import navigation


def _principal(agency: str, role: str) -> Principal:
    return Principal(sub="u", agency=agency, roles=frozenset({role}))


def test_meeting_screens_only_for_shakyo_coordinators_and_managers() -> None:
    assert navigation.runs_meetings(_principal("shakyo", "coordinator"))
    assert navigation.runs_meetings(_principal("shakyo", "manager"))
    assert not navigation.runs_meetings(_principal("houkatsu-03", "coordinator"))
    assert not navigation.runs_meetings(_principal("aso", "coordinator"))
    assert not navigation.runs_meetings(_principal("city-chiiki-fukushi", "manager"))


def test_calendar_groups_by_month_in_wareki_with_the_type_label() -> None:
    meetings = [
        {"meeting_id": "b", "type": "support_meeting", "date": "2026-12-23"},
        {"meeting_id": "a", "type": "multilayer_meeting", "date": "2026-12-23"},
        {"meeting_id": "c", "type": "multilayer_meeting", "date": "2027-01-27"},
    ]
    months = rules.calendar(meetings)
    assert [m.label for m in months] == ["令和8年12月", "令和9年1月"]
    assert [m["type_label"] for m in months[0].meetings] == ["重層的支援会議", "支援会議"]
    assert months[0].meetings[0]["wareki"] == "令和8年12月23日（水）"
    assert rules.fiscal_year_label(2026) == "令和8年度"


def test_ad_hoc_takes_wareki_and_names_bad_fields() -> None:
    body, errors = rules.ad_hoc_body(FormData({"type": "multilayer_meeting", "date": "R8.12.10"}))
    assert not errors and body == {"type": "multilayer_meeting", "date": "2026-12-10"}
    _, errors = rules.ad_hoc_body(FormData({"date": "令和8年13月1日"}))
    assert set(errors.by_field) == {"type", "date"}
    assert errors.by_field["date"].startswith("開催日")


def _approve(**rows: str) -> FormData:
    return FormData({"agenda_item_id": "i", "outcome": "approve", **rows})


def test_approval_roles_need_exactly_one_lead() -> None:
    two_rows = {
        "role_agency_0": "houkatsu-03",
        "role_code_0": "elderly_care",
        "role_agency_1": "aso",
        "role_code_1": "participation",
    }
    body, errors = rules.decision_body(_approve(**two_rows, lead="0"), "plan_appropriateness")
    assert not errors
    assert [(r["agency_id"], r["lead"]) for r in body["roles"]] == [
        ("houkatsu-03", True),
        ("aso", False),
    ]
    _, errors = rules.decision_body(_approve(**two_rows), "plan_appropriateness")
    assert "主担当" in errors.by_field["roles"]
    _, errors = rules.decision_body(
        _approve(role_agency_0="houkatsu-03", lead="0"), "plan_appropriateness"
    )
    assert "1 行目" in errors.by_field["roles"]
    # No rows: the plan's own roles are approved.
    body, errors = rules.decision_body(_approve(), "plan_appropriateness")
    assert not errors and "roles" not in body


def test_return_needs_a_reason_and_outcomes_fit_the_kind() -> None:
    _, errors = rules.decision_body(FormData({"outcome": "return"}), "plan_appropriateness")
    assert "差戻しの理由" in errors.by_field["reason_code"]
    _, errors = rules.decision_body(FormData({"outcome": "gap"}), "plan_appropriateness")
    assert "outcome" in errors.by_field


def test_end_needs_a_reason_of_its_kind() -> None:
    form = {"outcome": "end", "end_kind": "completed", "end_reason": "refused"}
    _, errors = rules.decision_body(FormData(form), "plan_evaluation")
    assert "終了の理由" in errors.by_field["end_reason"]  # 拒否 is a 中断 reason
    form["end_reason"] = "goals_achieved"
    body, errors = rules.decision_body(FormData(form), "plan_evaluation")
    assert not errors
    assert (body["end_kind"], body["reason_code"]) == ("completed", "goals_achieved")


def test_gaps_by_category() -> None:
    form = FormData([("outcome", "gap"), ("gap_categories", "ibasho"), ("gap_categories", "x")])
    body, errors = rules.decision_body(form, "resource_gap")
    assert not errors and body["gaps"] == [{"category_code": "ibasho"}]
    _, errors = rules.decision_body(FormData({"outcome": "gap"}), "resource_gap")
    assert "gaps" in errors.by_field


def test_closing_records_members_present_only() -> None:
    form = FormData([("attendee_agency_ids", "shakyo"), ("attendee_agency_ids", "stranger")])
    body, errors = rules.held_body(form, ["shakyo", "aso"])
    assert not errors and body == {"attendee_agency_ids": ["shakyo"]}
    _, errors = rules.held_body(FormData({}), ["shakyo"])
    assert "attendee_agency_ids" in errors.by_field


def _plan_form(**over: str) -> FormData:
    fields = {
        "household_wishes": "家族で暮らしたい",
        "long_term_goal": "地域で孤立せずに暮らす",
        "short_term_goals": "居場所に月1回\n\n家計の相談 ",
        "role_agency_0": "jiritsu",
        "role_code_0": "livelihood",
        "lead": "0",
        "review_on": "令和9年3月1日",
        **over,
    }
    return FormData([*fields.items(), ("issues", "hikikomori"), ("issues", "nonsense")])


def test_plan_editor_sends_goals_one_a_line_known_issues_and_an_iso_review_date() -> None:
    body, errors = rules.plan_body(_plan_form())
    assert not errors
    assert body["short_term_goals"] == ["居場所に月1回", "家計の相談"]
    assert body["issues"] == [{"issue_code": "hikikomori"}]
    assert body["review_on"] == "2027-03-01"
    assert body["roles"] == [{"agency_id": "jiritsu", "role_code": "livelihood", "lead": True}]
    # A stored plan comes back into the same form.
    again = rules.plan_form_values({**body, "roles": body["roles"]})
    assert again["lead"] == "0" and again["short_term_goals"] == "居場所に月1回\n家計の相談"


def test_plan_editor_names_each_missing_part() -> None:
    _, errors = rules.plan_body(
        _plan_form(household_wishes="", short_term_goals=" ", lead="", review_on="")
    )
    assert set(errors.by_field) == {"household_wishes", "short_term_goals", "roles", "review_on"}


def test_pledge_needs_a_standing_member_and_a_day() -> None:
    members = rules.meeting_agencies()
    body, errors = rules.pledge_body(
        FormData({"agency_id": "kodomo", "pledged_on": "R8.4.1"}), members
    )
    assert not errors and body == {"agency_id": "kodomo", "pledged_on": "2026-04-01"}
    _, errors = rules.pledge_body(FormData({"agency_id": "nowhere"}), members)
    assert set(errors.by_field) == {"agency_id", "pledged_on"}
