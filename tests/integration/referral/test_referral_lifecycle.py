"""A referral's life on the real stack: request → accept → complete, every step an event."""

from __future__ import annotations

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
)

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
OWNER, RECEIVER = "houkatsu-02", "jiritsu"

# Referral events carry ids, codes and dates only: never the note.
ALLOWED_PAYLOAD = {
    "referral_id", "case_id", "from_agency_id", "to_agency_id", "to_program", "reason_codes",
    "legal_basis", "consent_id", "support_meeting_decision_id", "requested_at", "requested_on",
    "due_on", "by_agency_id", "accepted_at", "accepted_on", "declined_at", "reason_code",
    "completed_at", "outcome_code", "revoked_at",
}  # fmt: skip


async def test_request_accept_complete(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    consent_id = await record_consent(settings, referral, case_id, OWNER, agencies=[RECEIVER])

    created = await referral.client.post(
        "/referrals",
        json={
            "case_id": str(case_id),
            "to_agency": RECEIVER,
            "reason_codes": ["poverty", "debt"],
            "note": "家賃滞納3か月。本人は電話が苦手",
        },
        headers=auth(OWNER, "counselor"),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["legal_basis"] == "consent"
    assert body["consent_id"] == str(consent_id)
    assert body["status"] == "requested"
    referral_id = UUID(body["referral_id"])

    seen = await referral.client.get(
        f"/referrals/{referral_id}", headers=auth(RECEIVER, "counselor")
    )
    assert seen.status_code == 200
    assert seen.json()["note"] == "家賃滞納3か月。本人は電話が苦手"
    assert seen.json()["receiver_agency_id"] == RECEIVER

    accepted = await referral.client.post(
        f"/referrals/{referral_id}/accept", headers=auth(RECEIVER, "counselor")
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    completed = await referral.client.post(
        f"/referrals/{referral_id}/complete",
        json={"outcome_code": "support_started"},
        headers=auth(RECEIVER, "counselor"),
    )
    assert completed.status_code == 200, completed.text
    assert completed.json()["outcome_code"] == "support_started"

    envelopes = await eventually(
        lambda: events_of(settings, "referral", case_id), lambda found: len(found) >= 3
    )
    assert types_of(envelopes) == ["ReferralRequested", "ReferralAccepted", "ReferralCompleted"]
    for envelope in envelopes:
        assert set(envelope["payload"]) <= ALLOWED_PAYLOAD
        assert "家賃" not in str(envelope)
    assert [e["agency_id"] for e in envelopes] == [OWNER, RECEIVER, RECEIVER]

    # Every access to the referral left an audit row, with its legal basis.
    audited = await fetchval(
        referral.dsn,
        "SELECT array_agg(action || ':' || actor_agency || ':' || legal_basis ORDER BY id)"
        " FROM access_audit WHERE record_id = $1",
        str(referral_id),
    )
    assert audited == [
        f"create:{OWNER}:consent",
        f"read:{RECEIVER}:consent",
        f"accept:{RECEIVER}:consent",
        f"complete:{RECEIVER}:consent",
    ]


async def test_decline_with_reason(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=["kikan-02"])
    created = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": "kikan-02", "reason_codes": ["disability"]},
        headers=auth(OWNER, "counselor"),
    )
    referral_id = created.json()["referral_id"]
    declined = await referral.client.post(
        f"/referrals/{referral_id}/decline",
        json={"reason_code": "out_of_scope"},
        headers=auth("kikan-02", "counselor"),
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"
    assert declined.json()["decline_reason_code"] == "out_of_scope"
    envelopes = await eventually(
        lambda: events_of(settings, "referral", case_id), lambda found: len(found) >= 2
    )
    assert types_of(envelopes) == ["ReferralRequested", "ReferralDeclined"]
    assert envelopes[1]["payload"]["reason_code"] == "out_of_scope"


async def test_support_meeting_decision_is_a_basis_without_consent(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    decision = str(await meeting_decision(settings, referral, case_id, members=["kodomo"]))
    created = await referral.client.post(
        "/referrals",
        json={
            "case_id": str(case_id),
            "to_agency": "kodomo",
            "reason_codes": ["young_carer"],
            "support_meeting_decision_id": decision,
        },
        headers=auth(OWNER, "counselor"),
    )
    assert created.status_code == 201, created.text
    assert created.json()["legal_basis"] == "support_meeting"
    assert created.json()["support_meeting_decision_id"] == decision
    [requested] = await eventually(
        lambda: events_of(settings, "referral", case_id), lambda found: len(found) == 1
    )
    assert requested["payload"]["legal_basis"] == "support_meeting"
    assert requested["payload"]["support_meeting_decision_id"] == decision


async def test_program_referral_goes_to_the_operator(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, programs=["participation"])
    created = await referral.client.post(
        "/referrals",
        json={
            "case_id": str(case_id),
            "to_program": "participation",
            "reason_codes": ["hikikomori"],
        },
        headers=auth(OWNER, "counselor"),
    )
    assert created.status_code == 201, created.text
    referral_id = created.json()["referral_id"]
    # 参加支援 is operated by アソウ: its coordinator accepts; 社協 is a stranger here.
    stranger = await referral.client.post(
        f"/referrals/{referral_id}/accept", headers=auth("shakyo", "coordinator")
    )
    assert stranger.status_code == 404
    accepted = await referral.client.post(
        f"/referrals/{referral_id}/accept", headers=auth("aso", "coordinator")
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["receiver_agency_id"] == "aso"


async def test_accepted_receiver_may_refer_onward(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(
        settings, referral, case_id, OWNER, agencies=[RECEIVER], programs=["participation"]
    )
    onward = {
        "case_id": str(case_id),
        "to_program": "participation",
        "reason_codes": ["employment"],
    }
    # Not yet involved: the case does not exist for jiritsu.
    early = await referral.client.post("/referrals", json=onward, headers=auth(RECEIVER))
    assert early.status_code == 404
    first = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": RECEIVER, "reason_codes": ["poverty"]},
        headers=auth(OWNER),
    )
    await referral.client.post(
        f"/referrals/{first.json()['referral_id']}/accept", headers=auth(RECEIVER)
    )
    second = await referral.client.post("/referrals", json=onward, headers=auth(RECEIVER))
    assert second.status_code == 201, second.text
    # The case owner sees the onward referral it did not send.
    owner_view = await referral.client.get(
        f"/referrals/{second.json()['referral_id']}", headers=auth(OWNER)
    )
    assert owner_view.status_code == 200
    assert owner_view.json()["from_agency_id"] == RECEIVER
