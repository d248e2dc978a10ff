"""A 連携機関's case summary (portal.domain.partner_case, portal.api.partner_case): who gets
the link, what the page model holds, and the route on a fake ``Services`` (the real stack's
flow is tests/integration/portal/test_portal_partner.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kasane.auth.principal import Principal
from kasane.reference.issue_codes import issue_code_labels
from kasane.web.sessions import WebSession
from portal.api import errors, partner_case
from portal.api.deps import Staff, services, signed_in
from portal.domain import partner_case as rules
from portal.domain.navigation import menu, reads_referred_cases
from portal.store.services import Answer

PARTNER = "hellowork-kurume"
REFERRAL_ID = "0192b6a0-0000-7000-8000-000000000001"
CASE_ID = "0192b6a0-0000-7000-8000-000000000002"


def _principal(agency: str, role: str) -> Principal:
    return Principal(f"{agency}-{role}", agency, frozenset({role}))


def _referral(status: str = "accepted", to: str = PARTNER) -> dict[str, Any]:
    return {"referral_id": REFERRAL_ID, "case_id": CASE_ID, "status": status, "to_agency_id": to}


@pytest.mark.parametrize("status", ["requested", "accepted"])
def test_the_partner_with_case_access_gets_the_link_while_the_referral_is_live(
    status: str,
) -> None:
    assert rules.may_open_referral_case(_referral(status), _principal(PARTNER, "partner"))


@pytest.mark.parametrize("status", ["declined", "revoked", "completed"])
def test_no_link_once_the_referral_has_ended(status: str) -> None:
    assert not rules.may_open_referral_case(_referral(status), _principal(PARTNER, "partner"))


def test_no_link_for_a_partner_without_case_access_nor_for_case_workers() -> None:
    minsei = _principal("minsei-kyogikai", "partner")
    assert not rules.may_open_referral_case(_referral(to="minsei-kyogikai"), minsei)
    # A referral addressed to another partner (the service would not show it anyway).
    other = _referral(to="kurume-kyoju-shien")
    assert not rules.may_open_referral_case(other, _principal(PARTNER, "partner"))
    # Case workers open the case workers' case page instead.
    assert not rules.may_open_referral_case(_referral(), _principal("jiritsu", "counselor"))


def test_the_screen_is_for_partners_only_and_never_in_the_menu() -> None:
    assert reads_referred_cases(_principal(PARTNER, "partner"))
    assert reads_referred_cases(_principal("minsei-kyogikai", "partner"))  # intake refuses it
    for agency, role in [("jiritsu", "counselor"), ("shakyo", "coordinator")]:
        assert not reads_referred_cases(_principal(agency, role))
    paths = [s.path for s in menu(_principal(PARTNER, "partner"))]
    assert paths == ["/", "/referrals"]


def _case_body() -> dict[str, Any]:
    return {
        "case_id": CASE_ID,
        "status": "open",
        "lead_agency_id": "jiritsu",
        "opened_on": "2026-11-02",
        "school_district_code": "01",
        "issue_codes": ["poverty"],
        "members": [
            {
                "name": "久留米 太郎",
                "kana": "くるめ たろう",
                "birth_date": "1990-04-01",
                "relationship": "self",
            }
        ],
        "consultations": [{"narrative": "相談の自由記述"}],
        "access": {"level": "case", "basis": "consent"},
    }


def test_the_page_model_holds_labels_never_codes() -> None:
    found = rules.summary(_case_body())
    assert found.lead_agency == "生活自立支援センター"
    assert found.district != "01" and found.district  # the 校区's name
    assert found.issues == [issue_code_labels()["poverty"]]
    assert found.persons == [rules.Person("久留米 太郎", "くるめ たろう", "本人", "1990-04-01")]
    assert not found.closed
    assert "相談の自由記述" not in repr(found)  # consultations stay out


def test_a_refusal_is_the_services_japanese_reason() -> None:
    body = {"errors": [{"field": "agency", "reason": "閲覧できません / may not"}]}
    assert rules.refusal(body) == "閲覧できません"
    assert rules.refusal(None) == rules.DEFAULT_REFUSAL


class _Services:
    """Answers by (service, path); records the tokens it was called with."""

    def __init__(self, answers: dict[tuple[str, str], Answer]) -> None:
        self.answers = answers
        self.tokens: list[str] = []

    async def get(self, token: str, service: str, path: str, **_: Any) -> Answer:
        self.tokens.append(token)
        return self.answers[(service, path)]


def _client(staff: Staff, fake: _Services) -> TestClient:
    app = FastAPI()
    errors.install(app)
    app.include_router(partner_case.router)

    async def as_staff() -> Staff:
        return staff

    app.dependency_overrides[signed_in] = as_staff
    app.dependency_overrides[services] = lambda: fake
    return TestClient(app)


def _staff(agency: str, role: str) -> Staff:
    now = datetime.now(UTC)
    return Staff(WebSession(_principal(agency, role), "issuer", None, "csrf", now, now), "own")


def _answers(case: Answer) -> dict[tuple[str, str], Answer]:
    return {
        ("referral", f"/referrals/{REFERRAL_ID}"): Answer(200, _referral()),
        ("intake", f"/cases/{CASE_ID}"): case,
    }


def test_the_partner_reads_the_summary_with_its_own_token() -> None:
    fake = _Services(_answers(Answer(200, _case_body())))
    page = _client(_staff(PARTNER, "partner"), fake).get(f"/referrals/{REFERRAL_ID}/case")
    assert page.status_code == 200
    for shown in ("ケースの概要", "生活自立支援センター", "久留米 太郎", "本人"):
        assert shown in page.text
    assert "相談の自由記述" not in page.text
    main = page.text.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<form" not in main and 'href="/cases/' not in main  # read-only, no case screens
    assert fake.tokens == ["own", "own"]


def test_intakes_refusal_is_shown_in_its_own_words_not_a_500() -> None:
    reason = "この連携機関はケース記録を閲覧できません / this partner organisation may not"
    fake = _Services(_answers(Answer(403, {"errors": [{"field": "agency", "reason": reason}]})))
    page = _client(_staff("minsei-kyogikai", "partner"), fake).get(f"/referrals/{REFERRAL_ID}/case")
    assert page.status_code == 403
    assert "この連携機関はケース記録を閲覧できません" in page.text
    assert "this partner organisation" not in page.text


def test_a_case_worker_gets_the_screens_403_page_and_nothing_is_read() -> None:
    fake = _Services({})
    page = _client(_staff("jiritsu", "counselor"), fake).get(f"/referrals/{REFERRAL_ID}/case")
    assert page.status_code == 403
    assert "連携機関の担当者のみが使える画面です。" in page.text
    assert fake.tokens == []


def test_a_referral_not_mine_is_404_and_intake_is_not_asked() -> None:
    fake = _Services({("referral", f"/referrals/{REFERRAL_ID}"): Answer(404, None)})
    page = _client(_staff(PARTNER, "partner"), fake).get(f"/referrals/{REFERRAL_ID}/case")
    assert page.status_code == 404
    assert fake.tokens == ["own"]


def test_dates_are_wareki_on_the_page() -> None:
    fake = _Services(_answers(Answer(200, _case_body())))
    page = _client(_staff(PARTNER, "partner"), fake).get(f"/referrals/{REFERRAL_ID}/case")
    assert "令和8年11月2日" in page.text and date(2026, 11, 2).isoformat() not in page.text
