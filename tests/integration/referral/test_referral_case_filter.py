"""GET /referrals?case_id=: one case's referrals (the portal's case page), still only those
the caller may see, one audit row per row shown."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.referral.referral_fixtures import fetchval, meeting_decision, open_case

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
OWNER = "houkatsu-05"


async def _refer(referral: RunningService, auth: Auth, settings: Settings, to: str) -> str:
    case_id = await open_case(settings, referral, OWNER)
    decision = await meeting_decision(settings, referral, case_id, members=[to])
    created = await referral.client.post(
        "/referrals",
        json={
            "case_id": str(case_id),
            "to_agency": to,
            "reason_codes": ["elderly_care"],
            "support_meeting_decision_id": str(decision),
        },
        headers=auth(OWNER),
    )
    assert created.status_code == 201, created.text
    return str(created.json()["referral_id"])


async def test_case_id_lists_only_that_cases_referrals(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    first = await _refer(referral, auth, settings, "kikan-02")
    other = await _refer(referral, auth, settings, "kikan-02")
    case_id = await fetchval(
        referral.dsn, "SELECT case_id FROM referrals WHERE referral_id = $1", first
    )
    audited_before = await fetchval(referral.dsn, "SELECT count(*) FROM access_audit")

    listed = await referral.client.get(
        "/referrals", params={"case_id": str(case_id)}, headers=auth(OWNER)
    )
    assert listed.status_code == 200, listed.text
    assert [i["referral_id"] for i in listed.json()["items"]] == [first]
    assert other not in {i["referral_id"] for i in listed.json()["items"]}
    assert await fetchval(referral.dsn, "SELECT count(*) FROM access_audit") == audited_before + 1
    # The receiver sees it too; an agency with no part in it sees nothing of that case.
    received = await referral.client.get(
        "/referrals", params={"case_id": str(case_id)}, headers=auth("kikan-02")
    )
    assert [i["referral_id"] for i in received.json()["items"]] == [first]
    stranger = await referral.client.get(
        "/referrals", params={"case_id": str(case_id)}, headers=auth("kikan-03")
    )
    assert stranger.json()["items"] == []


async def test_a_malformed_case_id_is_422_naming_the_field(
    referral: RunningService, auth: Auth
) -> None:
    response = await referral.client.get(
        "/referrals", params={"case_id": "not-a-uuid"}, headers=auth(OWNER)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "case_id"
