"""The referral screens' pure rules: labels, the form's checks, who may do what, and how a
service's refusal lands next to the field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from kasane.auth.principal import Principal
from portal.domain import access_log
from portal.domain import referrals as rules

TODAY = date(2026, 12, 1)
JIRITSU = Principal("s", "jiritsu", frozenset({"counselor"}))


def consent(**overrides: Any) -> dict[str, Any]:
    return {
        "consent_id": "c1",
        "scope": {"agencies": ["houkatsu-01"], "programs": [], "meeting_types": []},
        "consented_on": "2026-11-30",
        "expires_on": None,
        "withdrawn_on": None,
        **overrides,
    }


def form(**overrides: Any) -> rules.ReferralForm:
    values: dict[str, Any] = {
        "idempotency_key": "k",
        "target": "agency:houkatsu-01",
        "reason_codes": ["poverty"],
        "legal_basis": "consent",
        "consent_id": "c1",
        **overrides,
    }
    return rules.ReferralForm(**values)


TARGETS = {"agency:houkatsu-01", "agency:kikan-01", "program:participation"}


def test_targets_exclude_my_own_agency_the_city_and_my_own_programs() -> None:
    values = {o.value for o in rules.agency_targets(JIRITSU)}
    assert "agency:jiritsu" not in values and "agency:houkatsu-01" in values
    assert not any(v.startswith("agency:city-") for v in values)
    aso = Principal("s", "aso", frozenset({"coordinator"}))
    assert "program:participation" not in {o.value for o in rules.program_targets(aso)}
    labels = {o.value: o.label for o in rules.program_targets(JIRITSU)}
    assert labels["program:participation"].startswith("参加支援")


def test_active_partners_are_offered_as_targets_by_name() -> None:
    labels = {o.value: o.label for o in rules.agency_targets(JIRITSU)}
    assert labels["agency:hellowork-kurume"] == "ハローワーク久留米（連携機関）"
    assert "agency:kyu-shuro-juku" not in labels  # no longer active
    assert rules.target_label({"to_agency_id": "hellowork-kurume"}) == "ハローワーク久留米"


def test_a_valid_consent_referral_becomes_the_service_body() -> None:
    body, errors = rules.check(form(note="家賃滞納"), [consent()], TARGETS, TODAY)
    assert errors == {}
    assert body == {"reason_codes": ["poverty"], "to_agency": "houkatsu-01", "note": "家賃滞納"}


def test_a_program_target_is_sent_as_to_program() -> None:
    c = consent(scope={"agencies": [], "programs": ["participation"], "meeting_types": []})
    body, errors = rules.check(form(target="program:participation"), [c], TARGETS, TODAY)
    assert errors == {} and body is not None and body["to_program"] == "participation"


def test_a_consent_not_covering_the_receiver_is_named_on_legal_basis() -> None:
    body, errors = rules.check(form(target="agency:kikan-01"), [consent()], TARGETS, TODAY)
    assert body is None
    assert "含まれていません" in errors["legal_basis"]


@pytest.mark.parametrize(
    "overrides",
    [{"withdrawn_on": "2026-12-01"}, {"expires_on": "2026-11-30"}, {"consented_on": "2026-12-02"}],
)
def test_a_consent_not_in_force_today_is_refused(overrides: dict[str, Any]) -> None:
    _, errors = rules.check(form(), [consent(**overrides)], TARGETS, TODAY)
    assert errors["legal_basis"] == "有効な本人同意を選んでください。"


def test_expiry_day_itself_is_still_valid() -> None:
    assert rules.consent_in_force(consent(expires_on="2026-12-01"), TODAY)


def test_missing_fields_are_each_named() -> None:
    body, errors = rules.check(form(target="", reason_codes=[]), [], TARGETS, TODAY)
    assert body is None
    assert set(errors) == {"target", "reason_codes", "legal_basis"}


def test_a_support_meeting_basis_needs_a_decision_id() -> None:
    _, errors = rules.check(
        form(legal_basis="support_meeting", support_meeting_decision_id="abc"), [], TARGETS, TODAY
    )
    assert "support_meeting_decision_id" in errors
    decision = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    body, errors = rules.check(
        form(legal_basis="support_meeting", support_meeting_decision_id=decision),
        [],
        TARGETS,
        TODAY,
    )
    assert errors == {} and body is not None
    assert body["support_meeting_decision_id"] == decision


def test_service_refusals_land_on_the_form_fields_in_japanese() -> None:
    body = {
        "errors": [
            {"field": "legal_basis", "reason": "有効な同意がありません / no consent"},
            {"field": "reason_codes.0", "reason": "未知の課題コード / unknown"},
            {"field": "status", "reason": "既に回答済みです / already answered"},
        ]
    }
    assert rules.service_errors(body) == {
        "legal_basis": "有効な同意がありません",
        "reason_codes": "未知の課題コード",
        "form": "既に回答済みです",
    }
    assert "form" in rules.service_errors(None)


def test_receiver_answers_sender_revokes() -> None:
    referral = {"status": "requested", "from_agency_id": "jiritsu", "receiver_agency_id": "kodomo"}
    sender = rules.actions(referral, JIRITSU)
    assert sender == rules.Actions(revoke=True)
    receiver = rules.actions(referral, Principal("s", "kodomo", frozenset({"counselor"})))
    assert receiver == rules.Actions(accept=True, decline=True)
    accepted = {**referral, "status": "accepted"}
    assert rules.actions(accepted, Principal("s", "kodomo", frozenset({"counselor"}))) == (
        rules.Actions(complete=True)
    )
    assert rules.actions({**referral, "status": "completed"}, JIRITSU) == rules.Actions()


def test_labels_never_show_codes() -> None:
    assert rules.issue_label("poverty") != "poverty"
    assert rules.legal_basis_label("consent") == "本人同意"
    assert access_log.basis_label("owner") == "主担当"
    assert access_log.basis_label("support_meeting").startswith("支援会議")
    assert rules.target_label({"to_program": "outreach"}) == "アウトリーチ"
    assert rules.target_label({"to_agency_id": "jiritsu"}) == "生活自立支援センター"


def test_person_id_is_parsed_with_spaces_forgiven() -> None:
    assert access_log.parse_person_id(" 1b4e28ba-2fa1-11d2-883f-0016d3cca427 ") is not None
    assert access_log.parse_person_id("山田太郎") is None
    assert access_log.parse_person_id(None) is None


def test_the_case_section_partial_shows_labels_and_links_never_codes() -> None:
    import portal.api.referrals  # noqa: F401  (registers the partial's filters)
    from portal.api.templating import environment
    from portal.usecases.referrals import CaseReferrals

    section = CaseReferrals(
        "case-1",
        items=[
            {
                "referral_id": "r-1",
                "from_agency_id": "jiritsu",
                "to_agency_id": "houkatsu-01",
                "to_program": None,
                "receiver_agency_id": "houkatsu-01",
                "status": "requested",
                "overdue": True,
                "requested_at": "2026-11-20T10:00:00+09:00",
                "due_on": "2026-11-27",
            }
        ],
    )
    html = environment.from_string('{% include "referrals/_case_section.html" %}').render(
        case_referrals=section
    )
    assert 'id="referrals"' in html and 'href="/referrals/r-1"' in html
    assert "地域包括支援センター（第1）" in html and "依頼中" in html and "期限超過" in html
    assert "令和8年11月27日" in html
    text = re.sub(r"<[^>]+>", " ", html)  # what staff read: no codes
    assert "houkatsu-01" not in text and "requested" not in text
    assert 'href="/cases/case-1/referrals/new"' in html
    down = environment.from_string('{% include "referrals/_case_section.html" %}').render(
        case_referrals=CaseReferrals("case-1", unavailable=True), can_refer=False
    )
    assert "応答しない" in down and "/referrals/new" not in down


def test_a_resent_form_makes_the_same_service_body_whatever_the_order() -> None:
    fields = {"idempotency_key": "k", "target": "agency:houkatsu-01", "consent_id": "c1"}
    one = rules.ReferralForm.from_form(fields, ["poverty", "hikikomori"])
    two = rules.ReferralForm.from_form(fields, ["hikikomori", "poverty", "poverty"])
    assert rules.check(one, [consent()], TARGETS, TODAY) == rules.check(
        two, [consent()], TARGETS, TODAY
    )
