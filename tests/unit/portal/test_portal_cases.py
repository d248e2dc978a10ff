"""The case screens' pure rules and templates: staff dates, where a service's error is shown,
paging, the printed sheet's policy, and a refused form rendered with its errors."""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from typing import Any, cast

from kasane.auth.principal import Principal
from portal.api.cases import _forms
from portal.api.templating import environment
from portal.domain import cases as rules
from portal.store.services import Answer, Services
from portal.usecases.cases import CasePage, _records


def form(name: str, **values: Any) -> rules.Form:
    return rules.Form(name, dict(values))


def test_a_record_time_is_taken_in_japan_from_a_wareki_or_western_date() -> None:
    filled = form("record", occurred_on="R8.2.1", occurred_time="14:05")
    assert rules.occurred_at(filled, date(2026, 12, 1)) == "2026-02-01T14:05:00+09:00"
    filled = form("record", occurred_on="2026-02-01", occurred_time="")
    assert rules.occurred_at(filled, date(2026, 12, 1)) == "2026-02-01T00:00:00+09:00"


def test_a_date_that_does_not_exist_is_an_error_in_japanese_next_to_its_field() -> None:
    filled = form("record", occurred_on="令和8年2月30日", occurred_time="25:00")
    assert rules.occurred_at(filled, date(2026, 12, 1)) is None
    assert filled.errors["occurred_time"] == "時刻は 14:05 のように入力してください"
    assert "存在しない日付" in filled.errors["occurred_on"]
    assert "/" not in filled.errors["occurred_on"]  # the Japanese part only


def test_a_required_date_left_empty_is_named() -> None:
    filled = form("close")
    assert rules.staff_date(filled, "closed_on", "終結日") is None
    assert filled.errors == {"closed_on": "終結日を入力してください"}
    assert rules.staff_date(filled, "expires_on", "有効期限", required=False) is None


def test_service_errors_go_next_to_the_form_field_that_caused_them() -> None:
    filled = form("consent")
    body = {
        "errors": [
            {"field": "scope", "reason": "同意の範囲が空です / the scope names nothing"},
            {"field": "scope.agencies", "reason": "未知の機関 / unknown agency: x"},
            {"field": "consented_on", "reason": "同意日が未来です / the consent date is future"},
            {"field": "case_id", "reason": "ケースは終結しています / the case is closed"},
        ]
    }
    rules.service_errors(filled, body, "できませんでした")
    # The first reason for a field is shown; an unknown field goes with the main one.
    assert filled.errors == {"scope": "同意の範囲が空です", "consented_on": "同意日が未来です"}
    record = form("record")
    rules.service_errors(record, {"errors": [{"field": "occurred_at", "reason": "未来 / f"}]}, "")
    assert record.errors == {"occurred_on": "未来"}
    refused = form("close")
    rules.service_errors(refused, None, "この操作はできませんでした")
    assert refused.errors == {"reason": "この操作はできませんでした"}


def test_paging_offers_a_next_page_only_after_a_full_one() -> None:
    assert rules.page_offsets(0, 20) == (None, 20)
    assert rules.page_offsets(20, 5) == (0, None)
    assert rules.page_offsets(40, 20) == (20, 60)


def test_a_short_page_of_shared_cases_is_not_taken_for_the_last() -> None:
    # intake leaves out shared cases whose grant lapsed: 3 of 20 shown, more may follow.
    assert rules.page_offsets(0, 3, may_skip=True) == (None, 20)
    assert rules.page_offsets(20, 0, may_skip=True) == (0, None)


def test_labels_are_japanese_never_codes() -> None:
    assert rules.district_name("05") == "校区05"
    assert rules.district_name("zz") == "zz"  # a code reference data no longer has
    assert (
        rules.issue_label("8050") == "8050" and rules.issue_label("young_carer") == "ヤングケアラー"
    )
    assert rules.label("consent_methods", "written") == "書面"
    assert rules.agenda_kind("plan_appropriateness") == "プランの適切性の協議"
    persons = [{"name": "母", "relationship": "parent"}, {"name": "本人", "relationship": "self"}]
    assert rules.display_name(persons) == "本人"


def test_the_sheet_policy_allows_exactly_its_own_style() -> None:
    css = "\nh1 { text-align: center; }\n"
    document = f"<html><head><style>{css}</style></head><body><h1>票</h1></body></html>"
    expected = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert rules.style_hashes(document) == [f"'sha256-{expected}'"]
    shown = rules.sheet_tools(document, "c1")
    assert '<body><nav class="sheet-tools"' in shown and 'href="/cases/c1"' in shown
    assert '<link rel="stylesheet" href="/static/sheet.css"></head>' in shown


CASE = {
    "case_id": "c1",
    "status": "open",
    "lead_agency_id": "houkatsu-02",
    "opened_on": "2025-06-10",
    "closed_on": None,
    "close_reason": None,
    "school_district_code": "05",
    "issue_codes": ["elderly_care"],
    "between_systems": False,
    "members": [
        {
            "person_id": "p1",
            "name": "久留米 一郎",
            "kana": "くるめ いちろう",
            "birth_date": "1973-01-20",
            "relationship": "self",
            "care_role": "cared_for",
        }
    ],
    "consultations": [],
    "consents": [],
}


class Session:
    csrf_token = "csrf-1"
    principal = Principal("s", "houkatsu-02", frozenset({"counselor"}))


def render(failed: rules.Form | None, case: dict[str, Any] = CASE) -> str:
    page = CasePage(case, [], {"situations": ["8050"]}, [])
    return environment.get_template("cases/case.html").render(
        request=None,
        session=Session(),
        menu=[],
        path="/cases/c1",
        title="ケース",
        page=page,
        forms=_forms(date(2026, 12, 1), failed),
        failed=failed,
        done=None,
        rules=rules,
    )


def test_the_case_page_shows_codes_as_japanese_and_dates_in_wareki() -> None:
    html = render(None)
    assert "校区05" in html and "高齢・介護" in html and "昭和48年1月20日" in html
    assert 'name="csrf_token" value="csrf-1"' in html
    assert 'id="referrals"' in html  # the referral helper's section
    assert html.count('name="idempotency_key"') == 3  # record, consent, close


def test_a_refused_form_keeps_what_was_typed_with_each_error_at_its_field() -> None:
    failed = form(
        "record",
        idempotency_key="key-1",
        kind="visit",
        occurred_on="令和8年2月30日",
        occurred_time="",
        body="訪問した <b>",
    )
    failed.error("occurred_on", "存在しない日付です（令和8年2月30日） / no such date")
    html = render(failed)
    assert 'value="key-1"' in html  # the same key: a refusal released it
    assert 'value="令和8年2月30日" aria-invalid="true"' in html
    assert 'aria-describedby="record-occurred_on-hint record-occurred_on-error"' in html
    assert '<a href="#record-occurred_on">日付：存在しない日付です（令和8年2月30日）</a>' in html
    assert "訪問した &lt;b&gt;</textarea>" in html
    assert '<option value="visit" selected>' in html


def test_only_the_lead_agency_is_offered_the_closing_form() -> None:
    assert 'action="/cases/c1/close"' in render(None)
    shared = render(None, {**CASE, "lead_agency_id": "jiritsu"})
    assert 'action="/cases/c1/close"' not in shared
    assert "終結は主担当の生活自立支援センターが行います。" in shared


class PagedRecords:
    """intake's records endpoint, two pages of one entry each (a unit-test stand-in)."""

    def __init__(self) -> None:
        self.asked: list[str | None] = []

    async def get(self, token: str, service: str, path: str, **params: Any) -> Answer:
        self.asked.append(params.get("after"))
        if params.get("after") is None:
            return Answer(200, {"items": [{"occurred_at": "t1"}], "next_after": "t1"})
        return Answer(200, {"items": [{"occurred_at": "t2"}], "next_after": None})


async def test_the_whole_timeline_is_read_page_by_page() -> None:
    fake = PagedRecords()
    answer = await _records(cast(Services, fake), "token", "c1")
    assert fake.asked == [None, "t1"]
    assert answer.body == {"items": [{"occurred_at": "t1"}, {"occurred_at": "t2"}]}


def test_the_plans_the_reader_may_see_are_shown_by_program_state_and_wareki() -> None:
    plan = {
        "plan_id": "p1",
        "program": "multiagency",
        "status": "submitted",
        "submitted_on": "2026-11-20",
        "approved_on": None,
        "review_on": "2027-02-18",
    }
    page = CasePage(CASE, [], None, [], plans=[plan])
    html = environment.get_template("cases/case.html").render(
        session=Session(),
        menu=[],
        path="/",
        title="ケース",
        page=page,
        forms=_forms(date(2026, 12, 1), None),
        failed=None,
        done=None,
        rules=rules,
    )
    row = html[html.index('id="plans"') :]
    assert "多機関協働" in row and "提出済み（会議での協議待ち）" in row
    assert "令和8年11月20日" in row and "令和9年2月18日" in row
