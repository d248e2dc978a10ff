"""One rule per screen: the menu shows a screen to whom its predicate says, and its routes'
guard (``portal.api.deps.require``) refuses everyone else with that screen's 403 page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from kasane.auth.principal import Principal
from kasane.web.sessions import WebSession
from portal.api import errors
from portal.api.deps import MeetingsStaff, Staff, require, signed_in
from portal.domain.navigation import SCREENS, menu, screen


def _staff(agency: str, role: str) -> Staff:
    now = datetime.now(UTC)
    principal = Principal(f"{agency}-{role}", agency, frozenset({role}))
    return Staff(WebSession(principal, "issuer", None, "csrf", now, now), "token")


def _client(staff: Staff) -> TestClient:
    app = FastAPI()
    errors.install(app)

    @app.get("/meetings")
    async def meetings(staff: MeetingsStaff) -> PlainTextResponse:
        return PlainTextResponse(f"meetings for {staff.principal.agency}")

    async def as_staff() -> Staff:
        return staff

    app.dependency_overrides[signed_in] = as_staff
    return TestClient(app)


def test_the_screens_staff_pass_the_guard() -> None:
    answer = _client(_staff("shakyo", "coordinator")).get("/meetings")
    assert answer.status_code == 200 and answer.text == "meetings for shakyo"


OTHERS = [("aso", "coordinator"), ("jiritsu", "counselor"), ("city-choju", "manager")]


@pytest.mark.parametrize(("agency", "role"), OTHERS)
def test_anyone_else_gets_the_screens_403_page_with_their_own_menu(agency: str, role: str) -> None:
    staff = _staff(agency, role)
    assert "/meetings" not in [s.path for s in menu(staff.principal)]  # the same rule
    answer = _client(staff).get("/meetings")
    assert answer.status_code == 403
    assert "この画面は使えません" in answer.text
    assert "多機関協働事業者（社協）の担当者のみが使える画面です。" in answer.text
    for shown in menu(staff.principal):
        assert shown.label in answer.text
    assert "meetings for" not in answer.text


def test_every_guarded_screen_says_why_it_refuses() -> None:
    for found in SCREENS:
        if found.path != "/":
            assert found.refusal.endswith("。"), found.path
    assert screen("/access-log").refusal_title == "権限がありません"


def test_a_guard_naming_no_screen_fails_when_the_module_is_imported() -> None:
    with pytest.raises(KeyError):
        require("/no-such-screen")


def test_every_case_route_refuses_a_partner_with_the_case_screens_403_page() -> None:
    """A 連携機関's staff read a case only through a referral (intake decides); the portal's
    ケース screens are case work, so a partner gets their 403 page, not a service error."""
    from portal.api import cases

    app = FastAPI()
    errors.install(app)
    app.include_router(cases.router)

    async def as_partner() -> Staff:
        return _staff("hellowork-kurume", "partner")

    app.dependency_overrides[signed_in] = as_partner
    client = TestClient(app)
    for path in ("/cases", "/cases/0192b6a0-0000-7000-8000-000000000000"):
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "ケースを担当する職員のみが使える画面です。" in answer.text
