"""社協 地域づくり screens' pure rules: the grid of a 年度 (校区 names, April to March, no
future month), the forms' bodies."""

from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData

from kasane.auth.principal import Principal
from kasane.reference import school_districts
from kasane.reference.programs import catalog
from portal.domain import community, navigation

TODAY = date(2026, 12, 1)


def test_a_fiscal_years_months_run_april_to_march_in_wareki() -> None:
    months = community.months_of(2026)
    assert (months[0], months[-1], len(months)) == ("2026-04", "2027-03", 12)
    assert community.month_label("2027-01") == "令和9年1月"


def test_grid_has_every_district_by_name_and_only_past_months_editable() -> None:
    cells = [{"school_district_code": "08", "month": "2026-06", "visits": 12}]
    rows = community.grid(2026, cells, TODAY)
    assert [r.code for r in rows] == [d.code for d in school_districts()]
    row = next(r for r in rows if r.code == "08")
    assert row.name not in ("08", "")
    assert row.total == 12
    by_month = {c.month: c for c in row.cells}
    assert by_month["2026-06"].visits == 12 and by_month["2026-07"].visits is None
    assert by_month["2026-12"].editable and not by_month["2027-01"].editable
    assert community.month_totals(rows)[2] == 12


def test_visits_form() -> None:
    assert community.visits_body(FormData({"visits": "１，２００"}))[0] == {"visits": 1200}
    assert community.visits_body(FormData({"visits": "-3"}))[1].by_field == {
        "visits": "訪問件数は0以上の整数で入力してください"
    }
    assert community.visits_body(FormData({}))[1].by_field == {
        "visits": "訪問件数を入力してください"
    }


def test_concern_form_becomes_the_post_body_and_names_missing_fields() -> None:
    form = FormData(
        [
            ("school_district_code", "08"),
            ("reporter_type", "business"),
            ("urgency", "urgent"),
            ("issue_codes", "isolation"),
            ("noticed", "新聞がたまっている"),
            ("location", "○○町3丁目"),
            ("reported_on", "令和8年11月30日"),
        ]
    )
    body, errors = community.concern_body(form)
    assert not errors
    assert body == {
        "school_district_code": "08",
        "reporter_type": "business",
        "urgency": "urgent",
        "issue_codes": ["isolation"],
        "noticed": "新聞がたまっている",
        "location": "○○町3丁目",
        "reported_on": "2026-11-30",
    }
    body, errors = community.concern_body(FormData({"reported_on": "令和99年"}))
    assert body is None
    assert set(errors.by_field) == {
        "school_district_code",
        "reporter_type",
        "noticed",
        "location",
        "reported_on",
    }


def test_only_the_community_operators_staff_see_its_screens() -> None:
    def paths(agency: str, role: str) -> list[str]:
        p = Principal(sub="u", agency=agency, roles=frozenset({role}))
        return [s.path for s in navigation.menu(p)]

    assert "/community/watch-visits" in paths("shakyo", "coordinator")
    assert "/community/watch-visits" not in paths("jiritsu", "counselor")
    assert "/community/watch-visits" not in paths("city-chiiki-fukushi", "city_official")


def test_council_form_becomes_the_post_body_and_refuses_a_future_day() -> None:
    form = FormData(
        [
            ("school_district_code", "03"),
            ("held_on", "R8.6.12"),
            ("participants", "１８"),
            ("topic_codes", "watching"),
            ("topic_codes", "ibasho"),
            ("notes", "サロンの担い手について"),
        ]
    )
    body, errors = community.council_body(form, TODAY)
    assert not errors
    assert body == {
        "school_district_code": "03",
        "held_on": "2026-06-12",
        "participants": 18,
        "topic_codes": ["watching", "ibasho"],
        "notes": "サロンの担い手について",
    }
    body, errors = community.council_body(
        FormData({"school_district_code": "03", "held_on": "2027-01-05", "participants": "x"}),
        TODAY,
    )
    assert body is None
    assert errors.by_field == {
        "held_on": "開催日に未来の日付は入力できません",
        "participants": "参加者数は0以上の整数で入力してください",
    }


def test_activity_is_reported_by_the_programs_operator_only() -> None:
    shakyo = {p.code for p in community.reported_programs("shakyo", frozenset({"coordinator"}))}
    assert {"community_care_prevention", "kodomo_shokudo_support"} <= shakyo
    assert "general_care_prevention" not in shakyo  # an umbrella: its parts report
    assert "activity_support_center" not in shakyo  # reported by 障害者福祉課
    assert community.reported_programs("shakyo", frozenset({"counselor"})) == []
    city = {
        p.code for p in community.reported_programs("city-shogai", frozenset({"city_official"}))
    }
    assert city == {"activity_support_center"}


def test_activity_form_needs_the_unit_of_a_program_reported_per_unit() -> None:
    [care] = [p for p in catalog().programs if p.code == "community_care_prevention"]
    [shokudo] = [p for p in catalog().programs if p.code == "kodomo_shokudo_support"]
    months = community.months_of(2026)
    form = {"month": "2026-06", "sessions": "4", "participants": "５２"}
    body, errors = community.activity_body(FormData(form), shokudo, months)
    assert body == {"month": "2026-06", "sessions": 4, "participants": 52}
    body, errors = community.activity_body(FormData(form), care, months)
    assert body is None and set(errors.by_field) == {"component_code"}
    body, _ = community.activity_body(
        FormData({**form, "component_code": "doremi_course", "school_district_code": "05"}),
        care,
        months,
    )
    assert body is not None
    assert (body["component_code"], body["school_district_code"]) == ("doremi_course", "05")
    _, errors = community.activity_body(
        FormData({"month": "2025-06", "sessions": "-1", "participants": ""}), shokudo, months
    )
    assert set(errors.by_field) == {"month", "sessions", "participants"}


def test_resource_form_makes_a_new_entry_and_an_edit_keeps_what_it_does_not_show() -> None:
    form = FormData(
        {
            "service_name": "ふれあいいきいきサロン",
            "org_name": "○○校区社会福祉協議会",
            "category": "salon",
            "program_code": "small_area_network",
            "school_district_code": "05",
            "capacity": "30",
            "age_min": "65",
        }
    )
    body, errors = community.resource_body(form, None)
    assert not errors and body is not None
    assert body["service"]["category"] == "salon"
    assert body["location"]["school_district_code"] == "05"
    assert (body["capacity"], body["eligibility"]["age_min"]) == (30, 65)
    stored = {
        **body,
        "schedules": [
            {"freq": "MONTHLY", "byday": "2WE", "opens_at": "10:00", "closes_at": "12:00"}
        ],
        "organization": {"name": "旧名", "phone": "0942-00-0000"},
        "id": "x",
        "version": 3,
    }
    edited, _ = community.resource_body(FormData({**form, "capacity": "25"}), stored)
    assert edited is not None
    assert edited["capacity"] == 25
    assert edited["schedules"] == stored["schedules"]
    assert edited["organization"] == {"name": "○○校区社会福祉協議会", "phone": "0942-00-0000"}
    assert "id" not in edited and "version" not in edited
    assert community.resource_values(stored)["school_district_code"] == "05"
    _, errors = community.resource_body(FormData({"category": "nope", "capacity": "-1"}), None)
    assert set(errors.by_field) == {"org_name", "service_name", "category", "capacity"}
