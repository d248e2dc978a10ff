"""Referrals to 連携機関 (partner organisations) on the real stack: a partner is a target,
its staff (role partner) see and answer only the referrals to it, inactive or unknown
partners are refused with the field named, and the directory lists them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.referral.referral_fixtures import (
    events_of,
    fetchval,
    open_case,
    record_consent,
    types_of,
)

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
OWNER = "jiritsu"
HELLOWORK = "hellowork-kurume"  # may hold case access
MINSEI = "minsei-kyogikai"  # may not
INACTIVE = "kyu-shuro-juku"


async def _refer(
    referral: RunningService, auth: Auth, case_id: UUID, target: str, note: str | None = None
) -> Any:
    return await referral.client.post(
        "/referrals",
        json={
            "case_id": str(case_id),
            "to_agency": target,
            "reason_codes": ["employment"],
            **({"note": note} if note else {}),
        },
        headers=auth(OWNER, "counselor"),
    )


async def test_referral_to_hellowork_is_answered_by_its_partner_staff(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=[HELLOWORK])
    created = await _refer(referral, auth, case_id, HELLOWORK, note="面接の練習を希望")
    assert created.status_code == 201, created.text
    referral_id = created.json()["referral_id"]
    assert created.json()["legal_basis"] == "consent"

    partner = auth(HELLOWORK, "partner")
    listed = await referral.client.get(
        "/referrals", params={"direction": "received"}, headers=partner
    )
    assert listed.status_code == 200, listed.text
    assert [r["referral_id"] for r in listed.json()["items"]] == [referral_id]
    seen = await referral.client.get(f"/referrals/{referral_id}", headers=partner)
    assert seen.status_code == 200, seen.text
    assert seen.json()["note"] == "面接の練習を希望"  # what the hand-off carries

    accepted = await referral.client.post(f"/referrals/{referral_id}/accept", headers=partner)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    completed = await referral.client.post(
        f"/referrals/{referral_id}/complete",
        json={"outcome_code": "support_started"},
        headers=partner,
    )
    assert completed.status_code == 200, completed.text

    envelopes = await eventually(
        lambda: events_of(settings, "referral", case_id), lambda found: len(found) >= 3
    )
    assert types_of(envelopes) == ["ReferralRequested", "ReferralAccepted", "ReferralCompleted"]
    assert envelopes[0]["payload"]["to_agency_id"] == HELLOWORK
    assert envelopes[1]["payload"]["by_agency_id"] == HELLOWORK
    assert "面接" not in str(envelopes)
    audited = await fetchval(
        referral.dsn,
        "SELECT array_agg(action || ':' || actor_agency ORDER BY id) FROM access_audit"
        " WHERE record_id = $1",
        referral_id,
    )
    assert audited == [
        f"create:{OWNER}",
        f"list:{HELLOWORK}",
        f"read:{HELLOWORK}",
        f"accept:{HELLOWORK}",
        f"complete:{HELLOWORK}",
    ]


async def test_partner_staff_see_only_referrals_to_them_and_never_request_or_revoke(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=[MINSEI, "kikan-01"])
    to_minsei = (await _refer(referral, auth, case_id, MINSEI)).json()["referral_id"]
    to_kikan = (await _refer(referral, auth, case_id, "kikan-01")).json()["referral_id"]
    hellowork = auth(HELLOWORK, "partner")
    minsei = auth(MINSEI, "partner")

    # Another partner, and the partner for a referral to someone else: as if it did not exist.
    assert (
        await referral.client.get(f"/referrals/{to_minsei}", headers=hellowork)
    ).status_code == (404)
    assert (await referral.client.get(f"/referrals/{to_kikan}", headers=minsei)).status_code == 404
    listed = await referral.client.get(
        "/referrals", params={"case_id": str(case_id)}, headers=minsei
    )
    assert [r["referral_id"] for r in listed.json()["items"]] == [to_minsei]

    # A partner answers; it does not send referrals or revoke them (not case work).
    request = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": "kikan-01", "reason_codes": ["poverty"]},
        headers=minsei,
    )
    assert request.status_code == 403, request.text
    revoke = await referral.client.post(f"/referrals/{to_minsei}/revoke", headers=minsei)
    assert revoke.status_code == 403, revoke.text
    declined = await referral.client.post(
        f"/referrals/{to_minsei}/decline", json={"reason_code": "no_capacity"}, headers=minsei
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"


@pytest.mark.parametrize(
    ("target", "needle"),
    [
        (INACTIVE, "活動を終えた連携機関です / the partner is no longer active"),
        ("npo-nowhere", "未知の機関 / unknown agency or partner: npo-nowhere"),
    ],
)
async def test_inactive_or_unknown_partner_is_refused_with_the_field(
    referral: RunningService, auth: Auth, settings: Settings, target: str, needle: str
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=[target])
    response = await _refer(referral, auth, case_id, target)
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "to_agency"
    assert needle in error["reason"]
    written = await fetchval(
        referral.dsn, "SELECT count(*) FROM referrals WHERE case_id = $1", case_id
    )
    assert written == 0


async def test_directory_lists_active_partners_with_labels(
    referral: RunningService, auth: Auth
) -> None:
    response = await referral.client.get("/partners", headers=auth(OWNER, "counselor"))
    assert response.status_code == 200, response.text
    by_id = {p["id"]: p for p in response.json()}
    assert by_id[HELLOWORK]["name_ja"] == "ハローワーク久留米"
    assert by_id[HELLOWORK]["kind_label"] == "就労支援機関"
    assert by_id[HELLOWORK]["may_hold_case_access"] is True
    assert by_id[MINSEI]["kind_label"] == "民生委員・児童委員"
    assert by_id[MINSEI]["may_hold_case_access"] is False
    assert INACTIVE not in by_id
    # Partner staff read it too; the inactive ones on request (old referrals name them).
    everyone = await referral.client.get(
        "/partners", params={"include_inactive": "true"}, headers=auth(MINSEI, "partner")
    )
    assert everyone.status_code == 200
    assert {p["id"]: p["active"] for p in everyone.json()}[INACTIVE] is False
    assert (await referral.client.get("/partners")).status_code == 401
