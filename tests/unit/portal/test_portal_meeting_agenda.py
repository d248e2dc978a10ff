"""議題に追加 and ケースに応じた参加者, pure: the meetings and kinds offered, the form turned
into the meetings service's body, and the errors put next to the fields; and what a plan item
of another program shows on the meeting page."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

from starlette.datastructures import FormData

from portal.api.meetings import LABELS
from portal.api.templating import environment
from portal.domain import meeting_agenda as rules
from portal.domain.meetings import outreach_plans_to_read
from portal.domain.program_forms import FormErrors
from portal.usecases.meetings import MeetingPage

TODAY = date(2026, 12, 1)
SUPPORT = str(uuid4())
MULTI = str(uuid4())
CASE = str(uuid4())


def _meetings() -> dict[str, rules.MeetingChoice]:
    found = rules.upcoming(
        [
            {
                "meeting_id": MULTI,
                "type": "multilayer_meeting",
                "date": "2026-12-23",
                "status": "scheduled",
            },
            {
                "meeting_id": SUPPORT,
                "type": "support_meeting",
                "date": "2026-12-23",
                "status": "scheduled",
                "ad_hoc": True,
            },
            {
                "meeting_id": str(uuid4()),
                "type": "support_meeting",
                "date": "2026-11-25",
                "status": "scheduled",
            },
            {
                "meeting_id": str(uuid4()),
                "type": "support_meeting",
                "date": "2026-12-01",
                "status": "held",
            },
        ],
        TODAY,
    )
    return {m.meeting_id: m for m in found}


def test_only_meetings_still_to_come_are_offered_support_meeting_first_in_wareki() -> None:
    offered = list(_meetings().values())
    assert [m.meeting_id for m in offered] == [SUPPORT, MULTI]
    assert offered[0].label == "令和8年12月23日（水） 支援会議（臨時）"


def test_plan_kinds_are_not_offered_by_hand() -> None:
    kinds = rules.kinds_by_type()
    assert set(kinds["support_meeting"]) == {"information_sharing", "watch_policy", "urgent_case"}
    assert set(kinds["multilayer_meeting"]) == {"resource_gap"}


def test_an_empty_form_names_each_missing_field_in_japanese() -> None:
    _, _, errors = rules.agenda_body(FormData(), _meetings(), {CASE: "ケース"}, None)
    assert errors.by_field == {
        "meeting_id": "会議を選んでください",
        "case_id": "ケースを選んでください",
        "kind": "協議内容を選んでください",
    }


def test_a_kind_of_the_other_meeting_type_is_refused_next_to_the_kind() -> None:
    form = FormData({"meeting_id": SUPPORT, "case_id": CASE, "kind": "resource_gap"})
    _, _, errors = rules.agenda_body(form, _meetings(), {CASE: "ケース"}, None)
    assert errors.by_field == {"kind": "この会議で扱える協議内容を選んでください"}


def test_a_support_meeting_item_body_without_presenter_for_a_member_agency() -> None:
    form = FormData(
        {"meeting_id": SUPPORT, "case_id": CASE, "kind": "information_sharing", "summary": " 要点 "}
    )
    meeting_id, body, errors = rules.agenda_body(form, _meetings(), {CASE: "ケース"}, None)
    assert not errors and meeting_id == SUPPORT
    assert body == {"case_id": CASE, "kind": "information_sharing", "summary": "要点"}


def test_shakyo_presents_for_another_agency_only_from_the_list() -> None:
    form = FormData(
        {
            "meeting_id": SUPPORT,
            "case_id": CASE,
            "kind": "watch_policy",
            "presenting_agency_id": "nobody",
        }
    )
    presenters = {"shakyo": "社協", "jiritsu": "生活自立支援センター"}
    _, _, errors = rules.agenda_body(form, _meetings(), {CASE: "ケース"}, presenters)
    assert errors.by_field == {"presenting_agency_id": "報告機関を選んでください"}
    form = FormData(
        {
            "meeting_id": SUPPORT,
            "case_id": CASE,
            "kind": "watch_policy",
            "presenting_agency_id": "jiritsu",
        }
    )
    _, body, errors = rules.agenda_body(form, _meetings(), {CASE: "ケース"}, presenters)
    assert not errors and body["presenting_agency_id"] == "jiritsu"


def test_a_summary_over_the_services_limit_is_refused_before_the_round_trip() -> None:
    form = FormData(
        {"meeting_id": SUPPORT, "case_id": CASE, "kind": "urgent_case", "summary": "あ" * 2001}
    )
    _, _, errors = rules.agenda_body(form, _meetings(), {CASE: "ケース"}, None)
    assert errors.by_field == {"summary": "報告内容は2000文字以内で入力してください"}


def test_case_choices_carry_no_names_and_keep_the_case_the_link_came_from() -> None:
    escalated, mine, linked = str(uuid4()), str(uuid4()), str(uuid4())
    found = rules.case_choices(
        [
            {
                "case_id": mine,
                "opened_on": "2026-11-02",
                "school_district_code": "05",
                "issue_codes": ["8050"],
                "persons": [{"name": "久留米 一郎"}],
            }
        ],
        [
            {
                "case_id": escalated,
                "escalated_on": "2026-11-30",
                "by_agency_ids": ["jiritsu"],
                "reason_codes": ["hikikomori"],
            }
        ],
        linked,
    )
    assert list(found) == [escalated, mine, linked]
    assert found[escalated].startswith("令和8年11月30日つなぎ（生活自立支援センター）")
    assert "令和8年11月2日受付" in found[mine] and "8050" in found[mine]
    assert "一郎" not in "".join(found.values())
    assert found[linked] == f"このケース（番号 {linked[:8]}）"


def test_a_member_is_invited_for_one_case_of_this_agenda() -> None:
    cases = rules.agenda_cases(
        [
            {"visible": True, "case_id": CASE, "position": 1, "kind": "information_sharing"},
            {"visible": False, "position": 2, "kind": "urgent_case"},
        ]
    )
    assert cases == {CASE: "議題1：気になる事例の情報提供・情報共有"}
    body, errors = rules.member_body(FormData({"agency_id": "kikan-02", "case_id": CASE}), cases)
    assert not errors and body == {"agency_id": "kikan-02", "case_ids": [CASE]}
    _, errors = rules.member_body(FormData({"agency_id": "x", "case_id": str(uuid4())}), cases)
    assert errors.by_field == {
        "agency_id": "機関を選んでください",
        "case_id": "議題のケースを選んでください",
    }


def test_shakyo_is_not_invited_to_the_meetings_it_runs() -> None:
    invitable = rules.invitable_agencies()
    assert "shakyo" not in invitable and "kikan-02" in invitable


def _meeting_page_with(plan: dict[str, Any], **page: Any) -> str:
    """The meeting page as 社協 reads it, one decided plan item (no forms to fill)."""
    item = {
        "position": 1,
        "kind": "plan_appropriateness",
        "visible": True,
        "agenda_item_id": "a1",
        "case_id": CASE,
        "legal_basis": "consent",
        "plan": {"review_on": "2027-03-01", "status": "submitted", **plan},
        "decision": {"outcome_label": "プラン承認"},
    }
    meeting = {
        "meeting_id": MULTI,
        "type": "multilayer_meeting",
        "date": "2026-12-23",
        "fiscal_year": 2026,
        "ad_hoc": False,
        "status": "held",
        "held_on": "2026-12-23",
        "agenda_items": 1,
        "members": [],
        "items": [item],
    }
    return environment.get_template("meetings/meeting.html").render(
        request=SimpleNamespace(url=SimpleNamespace(path=f"/meetings/{MULTI}")),
        session=None,
        menu=[],
        role_labels="",
        title="会議の詳細",
        page=MeetingPage(status=200, meeting=meeting, **page),
        meeting=meeting,
        year_label="令和8年度",
        labels=LABELS,
        forms={},
        no_errors=FormErrors(),
        agenda_cases={},
        invitable={},
    )


def test_an_outreach_plan_says_its_goals_are_presented_by_outreach_not_silently_empty() -> None:
    html = _meeting_page_with({"program": "outreach", "content": None, "goals": []})
    assert "目標の文面はアウトリーチのシステムにあり、会議には届きません" in html


def test_a_participation_plan_shows_its_planned_stages_and_a_multiagency_plan_its_goals() -> None:
    stages = [{"code": "ibasho", "label": "居場所"}]
    html = _meeting_page_with({"program": "participation", "content": None, "goals": stages})
    assert "目標（段階）" in html and "居場所" in html and "会議には届きません" not in html
    goals = [{"code": "", "label": "週1回、居場所に通う"}]
    content = {"short_term_goals": ["週1回、居場所に通う"]}
    html = _meeting_page_with({"program": "multiagency", "content": content, "goals": goals})
    assert "短期目標" in html and "週1回、居場所に通う" in html


OUTREACH_PLAN = str(uuid4())
QUEUED_OUTREACH_PLAN: dict[str, Any] = {
    "plan_id": OUTREACH_PLAN,
    "program": "outreach",
    "content": None,
    "goals": [],
}


def test_a_queued_outreach_plan_shows_the_goals_outreach_let_the_coordinator_read() -> None:
    plan = dict(QUEUED_OUTREACH_PLAN)
    read = {
        "goals": ["週1回の訪問を続ける", "母の通院に同行する"],
        "wishes": "家から出なくてもよい形で",
    }
    html = _meeting_page_with(plan, outreach_plans={OUTREACH_PLAN: read})
    assert "週1回の訪問を続ける" in html and "母の通院に同行する" in html
    assert "家から出なくてもよい形で" in html
    assert "会議には届きません" not in html


def test_outreach_down_is_said_on_the_queued_plan_and_the_rest_of_the_page_still_shows() -> None:
    plan = dict(QUEUED_OUTREACH_PLAN)
    html = _meeting_page_with(plan, outreach_down=True)
    assert "アウトリーチのシステムが応答しないため" in html
    assert "プラン承認" in html


def test_only_visible_undecided_outreach_plans_are_read_from_outreach() -> None:
    def item(program: str, status: str, visible: bool = True) -> dict[str, Any]:
        plan = {"plan_id": f"{program}-{status}", "program": program, "status": status}
        return {"visible": visible, "plan": plan}

    items = [
        item("outreach", "submitted"),
        item("outreach", "approved"),
        item("outreach", "submitted", visible=False),
        item("participation", "submitted"),
        {"visible": True, "plan": None},
    ]
    assert outreach_plans_to_read(items) == ["outreach-submitted"]
    assert outreach_plans_to_read(None) == []
