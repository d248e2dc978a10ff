"""世帯概要 labels, labelled decisions, attendance and 和暦 dates (pure, no I/O)."""

from __future__ import annotations

from datetime import date

import pytest

from kasane.households import household_size_band
from kasane.ids import uuid7
from kasane.wareki import format_date
from meetings.domain.minutes import attendance_of, decision_out
from meetings.domain.profile import CaseProfile, age_band_label, profile_out


@pytest.mark.parametrize(
    ("members", "band"), [(1, "1"), (2, "2"), (3, "3-4"), (4, "3-4"), (5, "5+"), (9, "5+")]
)
def test_household_size_band(members: int, band: str) -> None:
    assert household_size_band(members) == band


def test_household_size_band_needs_a_member() -> None:
    with pytest.raises(ValueError):
        household_size_band(0)


@pytest.mark.parametrize(
    ("band", "label"), [("40-49", "40代"), ("0-9", "10歳未満"), ("90+", "90歳以上"), (None, None)]
)
def test_age_band_label(band: str | None, label: str | None) -> None:
    assert age_band_label(band) == label


def test_profile_carries_labels_and_district_name_not_code() -> None:
    out = profile_out(
        CaseProfile(
            case_id=uuid7(),
            age_band="50-59",
            school_district_code="03",
            issue_codes=["8050", "hikikomori"],
            is_complex=True,
            between_systems=False,
            household_situations=["8050", "young_carer"],
            household_size_band="3-4",
        )
    )
    assert out is not None
    assert out["age_band_label"] == "50代"
    assert out["school_district_name"] == "校区03"
    assert [i["label"] for i in out["issues"]] == ["8050", "ひきこもり"]
    assert out["household"]["size_band_label"] == "3〜4人"
    assert [s["label"] for s in out["household"]["situations"]] == ["8050", "ヤングケアラー"]


def test_profile_without_household_says_unknown_not_none() -> None:
    out = profile_out(CaseProfile(uuid7(), "30-39", "01", ["poverty"], False, False, None, None))
    assert out is not None and out["household"] is None


def test_evaluation_keeps_end_kind_and_reason() -> None:
    out = decision_out(
        {
            "id": uuid7(),
            "outcome": "end",
            "decided_on": date(2026, 1, 28),
            "end_kind": "suspended",
            "reason_code": "moved",
            "evaluation": "市外へ転居",
        },
        [],
    )
    assert out is not None
    assert out["end_kind_label"] == "中断" and out["reason_label"] == "転居"


def test_return_reason_and_gap_categories_and_lead_first() -> None:
    returned = decision_out(
        {
            "id": uuid7(),
            "outcome": "return",
            "decided_on": date(2026, 1, 28),
            "reason_code": "goals_unclear",
            "roles": [
                {"agency_id": "aso", "role_code": "participation", "lead": False},
                {"agency_id": "jiritsu", "role_code": "livelihood", "lead": True},
            ],
        },
        ["mobility"],
    )
    assert returned is not None
    assert returned["reason_label"] == "目標が不明確"
    assert returned["gaps"] == [{"category_code": "mobility", "category_label": "移動・外出の支援"}]
    assert [r["lead"] for r in returned["roles"]] == [True, False]
    assert returned["roles"][0]["agency_name"] == "生活自立支援センター"


def test_attendance_lists_every_member_present_first() -> None:
    listed = attendance_of(["shakyo", "jiritsu", "kodomo"], {"kodomo": True, "jiritsu": False})
    assert [(a.agency_id, a.present) for a in listed] == [
        ("kodomo", True),
        ("jiritsu", False),
        ("shakyo", None),
    ]


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 12, 1), "令和8年12月1日（火）"),
        (date(2019, 5, 1), "令和元年5月1日（水）"),
        (date(2019, 4, 30), "平成31年4月30日（火）"),
    ],
)
def test_wareki_date(day: date, text: str) -> None:
    assert format_date(day, weekday=True) == text
