"""相談受付 form rules (pure): parsing, local checks, household situations, step keys."""

from __future__ import annotations

from datetime import date, datetime

from kasane.clock import JST
from portal.domain.consultation import (
    CONSULTATION_ERROR_FIELDS,
    PERSON_ERROR_FIELDS,
    draft_from,
    field_errors,
    plan,
    situations,
    step_key,
)

NOW = datetime(2026, 12, 1, 14, 0, tzinfo=JST)


def form(**values: str | list[str]) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = []
    for name, value in values.items():
        pairs += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return pairs


def test_a_parent_of_78_with_a_child_of_51_shows_8050_as_typed_in_wareki_and_seireki() -> None:
    draft = draft_from(
        form(
            p0_name="本人",
            p0_kana="ほんにん",
            p0_birth="昭和50年4月1日",
            m1_name="親",
            m1_kana="おや",
            m1_birth="1948-05-05",
            m1_relationship="parent",
        )
    )
    assert situations(draft, None, NOW.date()) == ["8050"]


def test_a_carer_under_18_shows_young_carer_and_a_found_person_uses_their_birth_date() -> None:
    draft = draft_from(
        form(
            person_id="0b5e4b7e-7a4f-4a0e-9a55-1d4d3f7c1a11",
            m1_name="子",
            m1_kana="こ",
            m1_birth="R1.5.1",
            m1_relationship="child",
            m1_care_role="carer",
        )
    )
    assert situations(draft, date(1980, 1, 1), NOW.date()) == ["young_carer"]


def test_local_checks_name_each_field_in_japanese_and_keep_every_value() -> None:
    draft = draft_from(
        form(
            p0_name="",
            p0_kana="かさね",
            p0_birth="令和99年1月1日",
            received_date="令和8年12月1日",
            received_time="25:99",
            m2_name="誰か",
            scope_programs=["outreach"],
            channel="phone",
        )
    )
    _, errors = plan(draft, NOW, None)
    assert errors["p0_name"] == "氏名を入力してください"
    assert errors["p0_birth"] == "生年月日が未来の日付です"  # and no crash computing the 年代
    assert "14:05" in errors["received_time"]
    assert errors["issue_codes"] == "課題を一つ以上選んでください"
    assert errors["school_district_code"] == "校区を選んでください"
    assert errors["m2_kana"] == "ふりがなを入力してください"
    assert errors["m2_relationship"] == "続柄を選んでください"
    assert errors["consent_method"] == "同意の方法を選んでください"
    assert draft.get("received_time") == "25:99" and draft.lists["scope_programs"] == ["outreach"]


def test_a_complete_form_becomes_the_intake_requests_with_iso_dates_and_the_age_band() -> None:
    draft = draft_from(
        form(
            p0_name="久留米 一郎",
            p0_kana="くるめ いちろう",
            p0_birth="S50.4.1",
            received_date="令和8年12月1日",
            received_time="9:30",
            channel="in_person",
            school_district_code="05",
            issue_codes=["8050", "hikikomori"],
            between_flag="on",
            between_reason="狭間",
            outcome="connected",
            scope_agencies=["jiritsu"],
            consent_method="written",
            consent_on="2026-12-01",
        )
    )
    made, errors = plan(draft, NOW, None)
    assert errors == {}
    assert made.new_persons[0].body == {
        "name": "久留米 一郎",
        "kana": "くるめ いちろう",
        "birth_date": "1975-04-01",
    }
    assert made.consultation["received_at"] == "2026-12-01T09:30:00+09:00"
    assert made.consultation["age_band"] == "50-59"
    assert made.consultation["between_systems"] == {"flag": True, "reason": "狭間"}
    assert made.consent is not None and made.consent["consented_on"] == "2026-12-01"


def test_the_same_step_and_body_get_the_same_key_and_a_changed_body_another() -> None:
    assert step_key("k", "p0", {"a": 1, "b": 2}) == step_key("k", "p0", {"b": 2, "a": 1})
    assert step_key("k", "p0", {"a": 1}) != step_key("k", "p0", {"a": 2})
    assert step_key("k", "p0", {"a": 1}) != step_key("k", "m1", {"a": 1})


def test_intake_field_errors_land_on_the_form_fields_in_japanese() -> None:
    reasons = [
        {
            "field": "between_systems.reason",
            "reason": "制度の狭間には理由が必要 / a reason is required",
        },
        {"field": "body", "reason": "本文が不正 / bad body"},
    ]
    assert field_errors(reasons, CONSULTATION_ERROR_FIELDS) == {
        "between_reason": "制度の狭間には理由が必要",
        "form": "本文が不正",
    }
    kana = [{"field": "birth_date", "reason": "生年月日がありえない日付です / impossible"}]
    assert field_errors(kana, PERSON_ERROR_FIELDS, "m1") == {
        "m1_birth": "生年月日がありえない日付です"
    }


def test_a_consent_may_name_the_active_partners_on_both_forms() -> None:
    """相談受付 and the case page's 本人同意 offer the same parties: the agencies, then the
    active 連携機関 marked as such; a partner that stopped is not offered."""
    from portal.domain.cases import agency_choices
    from portal.domain.consult_labels import agencies

    offered = agencies()
    assert offered["hellowork-kurume"] == "ハローワーク久留米（連携機関）"
    assert "kyu-shuro-juku" not in offered  # inactive
    assert offered["jiritsu"].startswith("生活自立支援センター")
    assert list(offered.items()) == agency_choices()
