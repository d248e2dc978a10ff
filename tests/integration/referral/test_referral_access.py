"""Who sees a referral: the parties only; a stranger gets 404; revocation ends access."""

from __future__ import annotations

import json
from collections.abc import Callable
from uuid import UUID

import pytest

from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.referral.referral_fixtures import (
    events_of,
    fetchval,
    meeting_decision,
    open_case,
    record_consent,
    types_of,
    withdraw_consent,
)

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
OWNER, RECEIVER, STRANGER = "houkatsu-05", "kikan-03", "houkatsu-06"


async def _refer(referral: RunningService, auth: Auth, case_id: UUID, **extra: str) -> str:
    created = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": RECEIVER, "reason_codes": ["disability"]}
        | extra,
        headers=auth(OWNER),
    )
    assert created.status_code == 201, created.text
    return str(created.json()["referral_id"])


async def _ids(referral: RunningService, headers: dict[str, str]) -> set[str]:
    listed = await referral.client.get("/referrals", headers=headers)
    assert listed.status_code == 200
    return {item["referral_id"] for item in listed.json()["items"]}


async def test_stranger_gets_404_and_is_audited(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=[RECEIVER])
    rid = await _refer(referral, auth, case_id, note="本人の妹から相談")

    for path in (f"/referrals/{rid}", f"/referrals/{rid}/accept", f"/referrals/{rid}/revoke"):
        method = referral.client.get if path.endswith(rid) else referral.client.post
        response = await method(path, headers=auth(STRANGER, "manager"))
        assert response.status_code == 404, path
        assert "妹" not in response.text
    missing = await referral.client.get(
        "/referrals/00000000-0000-7000-8000-000000000000", headers=auth(STRANGER)
    )
    assert (
        missing.json()
        == (await referral.client.get(f"/referrals/{rid}", headers=auth(STRANGER))).json()
    )
    assert rid not in await _ids(referral, auth(STRANGER))
    denied = await fetchval(
        referral.dsn,
        "SELECT count(*) FROM access_audit WHERE record_id = $1 AND outcome = 'denied'"
        " AND actor_agency = $2",
        rid,
        STRANGER,
    )
    assert denied == 4


async def test_revoked_referral_removes_the_receivers_access(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=[RECEIVER])
    rid = await _refer(referral, auth, case_id)
    assert (
        await referral.client.post(f"/referrals/{rid}/accept", headers=auth(RECEIVER))
    ).status_code == 200
    assert rid in await _ids(referral, auth(RECEIVER))

    revoked = await referral.client.post(f"/referrals/{rid}/revoke", headers=auth(OWNER))
    assert revoked.status_code == 200
    assert revoked.json()["revoke_reason_code"] == "by_sender"

    assert (
        await referral.client.get(f"/referrals/{rid}", headers=auth(RECEIVER))
    ).status_code == 404
    assert rid not in await _ids(referral, auth(RECEIVER))
    owner_view = await referral.client.get(f"/referrals/{rid}", headers=auth(OWNER))
    assert owner_view.json()["status"] == "revoked"
    envelopes = await eventually(
        lambda: events_of(settings, "referral", case_id), lambda found: len(found) >= 3
    )
    assert types_of(envelopes) == ["ReferralRequested", "ReferralAccepted", "ReferralRevoked"]
    assert envelopes[2]["payload"]["reason_code"] == "by_sender"


async def test_receivers_manager_may_revoke(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=[RECEIVER])
    rid = await _refer(referral, auth, case_id)
    revoked = await referral.client.post(
        f"/referrals/{rid}/revoke", headers=auth(RECEIVER, "manager")
    )
    assert revoked.status_code == 200
    assert revoked.json()["revoke_reason_code"] == "by_manager"


async def test_consent_withdrawal_revokes_open_referrals_relying_on_it(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    consent_id = await record_consent(
        settings, referral, case_id, OWNER, agencies=[RECEIVER, "kodomo", "jiritsu"]
    )
    open_one = await _refer(referral, auth, case_id)
    accepted = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": "kodomo", "reason_codes": ["childrearing"]},
        headers=auth(OWNER),
    )
    accepted_id = accepted.json()["referral_id"]
    await referral.client.post(f"/referrals/{accepted_id}/accept", headers=auth("kodomo"))
    finished = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": "jiritsu", "reason_codes": ["poverty"]},
        headers=auth(OWNER),
    )
    finished_id = finished.json()["referral_id"]
    await referral.client.post(f"/referrals/{finished_id}/accept", headers=auth("jiritsu"))
    await referral.client.post(
        f"/referrals/{finished_id}/complete",
        json={"outcome_code": "resolved"},
        headers=auth("jiritsu"),
    )
    decision = await meeting_decision(settings, referral, case_id, members=[RECEIVER])
    on_meeting = await _refer(referral, auth, case_id, support_meeting_decision_id=str(decision))

    await withdraw_consent(settings, case_id, consent_id, OWNER)

    async def statuses() -> dict[str, str]:
        rows = await fetchval(
            referral.dsn,
            "SELECT json_object_agg(referral_id::text, status) FROM referrals WHERE case_id = $1",
            case_id,
        )
        return dict(json.loads(rows))

    final = await eventually(
        statuses, lambda s: s[open_one] == "revoked" and s[accepted_id] == "revoked"
    )
    assert final[finished_id] == "completed"  # a closed referral is history, not sharing
    assert final[on_meeting] == "requested"  # its basis is the 支援会議, not the consent
    assert (
        await referral.client.get(f"/referrals/{accepted_id}", headers=auth("kodomo"))
    ).status_code == 404

    envelopes = await eventually(
        lambda: events_of(settings, "referral", case_id),
        lambda found: types_of(found).count("ReferralRevoked") >= 2,
    )
    revocations = [e for e in envelopes if e["event_type"] == "referral.ReferralRevoked"]
    assert {e["payload"]["referral_id"] for e in revocations} == {open_one, accepted_id}
    assert {e["payload"]["reason_code"] for e in revocations} == {"consent_withdrawn"}
    # New referrals on the withdrawn consent are refused.
    again = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": RECEIVER, "reason_codes": ["disability"]},
        headers=auth(OWNER),
    )
    assert again.status_code == 409
