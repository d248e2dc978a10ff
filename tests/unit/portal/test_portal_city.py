"""The city's screens' pure rules: the forms read into the bodies the indicators service's
API takes, its refusals put next to the fields, figures labelled."""

from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData

from kasane.auth.principal import Principal
from portal.domain import city, navigation

TODAY = date(2026, 12, 1)  # FY2026 (令和8年度)
YEARS = [fy for fy, _ in city.year_choices(TODAY)]
NAMES = {"jiritsu_new_consultations": "新規相談受付件数", "survey_can_counsel": "相談にのれる"}


def test_years_offered_are_next_this_and_past_four_in_wareki() -> None:
    assert city.year_choices(TODAY)[:2] == [(2027, "令和9年度"), (2026, "令和8年度")]
    assert YEARS[-1] == 2022
    assert city.chosen_year("2025", TODAY) == 2025
    assert city.chosen_year("1999", TODAY) == 2026  # not offered: this year
    assert city.chosen_year("abc", TODAY) == 2026


def test_target_form_becomes_the_put_body() -> None:
    form = FormData(
        {"indicator_id": "jiritsu_new_consultations", "fiscal_year": "2026", "target": "１，１００"}
    )
    entry, errors = city.target_entry(form, NAMES, YEARS)
    assert not errors
    assert entry == city.TargetEntry("jiritsu_new_consultations", 2026, {"target": 1100})
    rate, _ = city.target_entry(
        FormData({"indicator_id": "survey_can_counsel", "fiscal_year": "2026", "target": "29.5"}),
        NAMES,
        YEARS,
    )
    assert rate is not None and rate.body == {"target": 29.5}


def test_target_form_names_each_wrong_field_in_japanese() -> None:
    entry, errors = city.target_entry(
        FormData({"indicator_id": "nope", "fiscal_year": "1990", "target": "たくさん"}),
        NAMES,
        YEARS,
    )
    assert entry is None
    assert errors.by_field == {
        "indicator_id": "指標を選んでください",
        "fiscal_year": "年度を選んでください",
        "target": "目標値は数字で入力してください",
    }
    _, negative = city.target_entry(
        FormData({"indicator_id": "survey_can_counsel", "fiscal_year": "2026", "target": "-1"}),
        NAMES,
        YEARS,
    )
    assert negative.by_field == {"target": "目標値は0以上の数で入力してください"}


def test_survey_form_sends_only_the_questions_filled_in() -> None:
    form = FormData(
        {
            "fiscal_year": "2026",
            "mutual_support__respondents": "1200",
            "mutual_support__yes": "810",
            "can_counsel__respondents": "",
            "can_counsel__yes": "",
        }
    )
    body, errors = city.survey_body(form, YEARS)
    assert not errors
    assert body == {
        "fiscal_year": 2026,
        "results": [{"question_id": "mutual_support", "respondents": 1200, "yes": 810}],
    }


def test_an_empty_survey_form_or_half_a_question_is_refused() -> None:
    body, errors = city.survey_body(FormData({"fiscal_year": "2026"}), YEARS)
    assert body is None and errors.notice is not None
    body, errors = city.survey_body(
        FormData({"fiscal_year": "2026", "can_counsel__yes": "3"}), YEARS
    )
    assert body is None
    question = "「困っている人の相談にのることができる」"
    assert errors.by_field == {
        "can_counsel__respondents": f"{question}の回答者数を入力してください"
    }


def test_the_services_refusal_lands_on_the_question_it_is_about() -> None:
    sent = {
        "fiscal_year": 2026,
        "results": [
            {"question_id": "mutual_support", "respondents": 10, "yes": 5},
            {"question_id": "can_counsel", "respondents": 10, "yes": 50},
        ],
    }
    refusal = {
        "errors": [
            {"field": "body.results.1.yes", "reason": "回答者数（10）を超えています / yes exceeds"}
        ]
    }
    errors = city.survey_errors(refusal, "default", sent)
    assert errors.by_field == {"can_counsel__yes": "回答者数（10）を超えています"}
    assert city.survey_errors({}, "登録できませんでした", sent).notice == "登録できませんでした"


def test_figures_are_labelled_with_names_never_codes() -> None:
    figures = [
        {"figure": "consultations.total", "key": "", "value": 3.0, "event_count": 3},
        {"figure": "consultations.by_agency", "key": "jiritsu", "value": 2, "event_count": 2},
        {"figure": "plans.approved", "key": "outreach", "value": 1, "event_count": 1},
        {"figure": "meetings.held", "key": "support_meeting", "value": 1, "event_count": 1},
        {
            "figure": "community.watch_visits_by_district",
            "key": "08",
            "value": 40,
            "event_count": 1,
        },
    ]
    singles = {row.label: row.value for row in city.single_figures(figures)}
    assert singles["相談受付件数"] == 3
    assert singles["つなぎ 依頼"] == 0  # not counted yet: zero, not missing
    groups = {g.title: [(r.label, r.value) for r in g.rows] for g in city.keyed_figures(figures)}
    assert groups["機関別 相談受付件数"] == [("生活自立支援センター", 2)]
    assert groups["プラン作成件数（事業別）"] == [("アウトリーチ", 1)]
    assert groups["会議の開催回数"] == [("支援会議", 1)]
    [(district, visits)] = groups["校区別 見守り訪問件数"]
    assert visits == 40
    assert district not in ("08", "")


def test_only_city_roles_see_the_city_screens() -> None:
    def who(agency: str, *roles: str) -> Principal:
        return Principal(sub="u", agency=agency, roles=frozenset(roles))

    def paths(p: Principal) -> list[str]:
        return [s.path for s in navigation.menu(p)]

    city_official = who("city-chiiki-fukushi", "city_official")
    assert "/city" in paths(city_official)
    assert not navigation.works_cases(city_official)
    assert "/city" not in paths(who("jiritsu", "counselor"))
    assert "/city" not in paths(who("city-chiiki-fukushi", "auditor"))
