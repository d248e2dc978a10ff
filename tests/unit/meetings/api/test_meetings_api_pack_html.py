"""meetings.api.pack_html: a printable A4 Japanese agenda that shows only what it is given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from kasane.ids import uuid7
from meetings.api.pack_html import japanese_date, render_pack
from meetings.domain.members import Member
from meetings.domain.minutes import decision_out
from meetings.domain.pack import Pack, PackItem

Factory = Callable[..., Any]


def render(meeting: Any, items: list[PackItem], viewer: str = "jiritsu") -> str:
    members = [
        Member("shakyo", "default"),
        Member("jiritsu", "default", pledged_on=date(2025, 8, 1)),
    ]
    return render_pack(Pack(meeting, viewer, members, items, date(2025, 8, 20)))


def test_japanese_date() -> None:
    assert japanese_date(date(2025, 8, 27)) == "2025年8月27日（水）"


def test_a4_print_css_and_japanese_headings(make_meeting: Factory) -> None:
    html = render(make_meeting(), [])
    assert '<html lang="ja">' in html
    assert "size: A4" in html and "@page" in html
    assert "令和7年度 重層的支援会議 会議資料" in html
    assert "生活自立支援センター" in html  # 資料の宛先
    assert "議題はまだありません" in html


def test_support_meeting_pack_states_the_confidentiality_duty(make_meeting: Factory) -> None:
    html = render(make_meeting(meeting_type="support_meeting"), [])
    assert "第106条の6" in html and "守秘義務" in html
    assert "守秘義務誓約 2025-08-01" in html and "誓約未了" in html


def test_holiday_note(make_meeting: Factory) -> None:
    meeting = make_meeting(
        meeting_date=date(2022, 11, 24),
        regular_date=date(2022, 11, 23),
        holiday=True,
        fiscal_year=2022,
    )
    html = render(meeting, [])
    assert "2022年11月24日（木）" in html and "2022年11月23日（水）" in html and "休日" in html


def test_hidden_items_show_number_and_reason_only(make_meeting: Factory) -> None:
    case_id = uuid7()
    items = [
        PackItem(
            position=1, kind="plan_appropriateness", hidden_reason="本人同意の範囲外の機関です"
        ),
        PackItem(
            position=2,
            kind="resource_gap",
            hidden_reason=None,
            case_id=case_id,
            legal_basis="consent",
            presenting_agency_id="shakyo",
            summary="夜間の居場所がない",
        ),
    ]
    html = render(make_meeting(), items)
    assert "議題1" in html and "本人同意の範囲外の機関です" in html
    assert "議題2" in html and str(case_id) in html and "夜間の居場所がない" in html
    assert html.count("ケースID") == 1


def test_values_are_escaped(make_meeting: Factory) -> None:
    item = PackItem(
        position=1,
        kind="urgent_case",
        hidden_reason=None,
        case_id=uuid7(),
        legal_basis="support_meeting",
        presenting_agency_id="jiritsu",
        summary="<script>alert(1)</script>",
    )
    html = render(make_meeting(meeting_type="support_meeting"), [item])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "支援会議（社会福祉法第106条の6）" in html


def test_plan_content_with_lead_marked(make_meeting: Factory) -> None:
    item = PackItem(
        position=1,
        kind="plan_appropriateness",
        hidden_reason=None,
        case_id=uuid7(),
        legal_basis="consent",
        presenting_agency_id="shakyo",
        plan={
            "program": "multiagency",
            "status": "submitted",
            "review_on": date(2025, 12, 1),
            "content": {
                "household_wishes": "家で暮らしたい",
                "issues": [{"issue_code": "8050", "description": None}],
                "long_term_goal": "安心",
                "short_term_goals": ["通院"],
                "roles": [{"agency_id": "houkatsu-03", "role_code": "elderly_care", "lead": True}],
            },
        },
        decision=decision_out(
            {
                "id": uuid7(),
                "outcome": "approve",
                "decided_on": date(2025, 10, 22),
                "next_review_on": date(2025, 12, 1),
                "minutes": "承認",
            },
            [],
        ),
    )
    html = render(make_meeting(), [item])
    assert "多機関協働プラン（承認待ち）" in html
    assert "◎ 地域包括支援センター（第3）" in html
    assert "家で暮らしたい" in html and "プラン承認" in html
