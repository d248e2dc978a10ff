"""Every refusal: a clear 4xx with the field and the reason, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.referral.referral_fixtures import (
    close_case,
    fetchval,
    open_case,
    record_consent,
    reopen_case,
)

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
OWNER = "houkatsu-04"


async def _written(referral: RunningService, case_id: UUID) -> tuple[int, int]:
    referrals = await fetchval(
        referral.dsn, "SELECT count(*) FROM referrals WHERE case_id = $1", case_id
    )
    outbox = await fetchval(
        referral.dsn, "SELECT count(*) FROM outbox WHERE key = $1", str(case_id)
    )
    return int(referrals), int(outbox)


def _reason(response: Any) -> tuple[str, str]:
    [error] = response.json()["errors"]
    return error["field"], error["reason"]


async def test_no_legal_basis_is_409_and_writes_nothing(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    # Consent exists, but for another agency; and one that has expired.
    await record_consent(settings, referral, case_id, OWNER, agencies=["kodomo"])
    await record_consent(
        settings, referral, case_id, OWNER, agencies=["jiritsu"], expires_on=date(2025, 6, 30)
    )
    response = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": "jiritsu", "reason_codes": ["poverty"]},
        headers=auth(OWNER),
    )
    assert response.status_code == 409
    field, reason = _reason(response)
    assert field == "legal_basis"
    assert "consent" in reason and "同意" in reason
    assert await _written(referral, case_id) == (0, 0)
    # The refused attempt is itself audited as a denial.
    denied = await fetchval(
        referral.dsn,
        "SELECT count(*) FROM access_audit WHERE record_id = $1 AND outcome = 'denied'",
        str(case_id),
    )
    assert denied == 1


@pytest.mark.parametrize(
    ("target", "field", "needle"),
    [
        ({"to_agency": OWNER}, "to_agency", "own agency"),
        ({"to_agency": "houkatsu-99"}, "to_agency", "unknown agency"),
        ({"to_agency": "jiritsu", "to_program": "outreach"}, "body", "exactly one"),
        ({}, "body", "exactly one"),
    ],
)
async def test_bad_targets_are_422(
    referral: RunningService,
    auth: Auth,
    settings: Settings,
    target: dict[str, str],
    field: str,
    needle: str,
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=[OWNER, "jiritsu"])
    response = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "reason_codes": ["poverty"], **target},
        headers=auth(OWNER),
    )
    assert response.status_code == 422, response.text
    got_field, reason = _reason(response)
    assert (got_field, needle in reason) == (field, True)
    assert await _written(referral, case_id) == (0, 0)


async def test_program_operator_cannot_refer_to_its_own_program(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, "aso")
    response = await referral.client.post(
        "/referrals",
        json={
            "case_id": str(case_id),
            "to_program": "participation",
            "reason_codes": ["hikikomori"],
        },
        headers=auth("aso", "coordinator"),
    )
    assert response.status_code == 422
    assert _reason(response)[0] == "to_agency"


async def test_unknown_or_foreign_case_is_404(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=["jiritsu"])
    body = {"case_id": str(case_id), "to_agency": "jiritsu", "reason_codes": ["poverty"]}
    foreign = await referral.client.post("/referrals", json=body, headers=auth("kodomo"))
    assert foreign.status_code == 404
    unknown = await referral.client.post(
        "/referrals", json={**body, "case_id": str(uuid4())}, headers=auth(OWNER)
    )
    assert unknown.status_code == 404
    # Same answer for "exists but not yours" and "does not exist": nothing is revealed.
    assert foreign.json() == unknown.json()
    assert await _written(referral, case_id) == (0, 0)


async def test_closed_case_is_409_until_reopened(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=["jiritsu"])
    await close_case(settings, referral, case_id, OWNER)
    response = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": "jiritsu", "reason_codes": ["poverty"]},
        headers=auth(OWNER),
    )
    assert response.status_code == 409
    assert _reason(response)[0] == "case_id"
    # ケース再開: the case takes referrals again.
    await reopen_case(settings, referral, case_id, OWNER)
    again = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": "jiritsu", "reason_codes": ["poverty"]},
        headers=auth(OWNER),
    )
    assert again.status_code == 201, again.text


async def test_role_without_case_work_is_403(referral: RunningService, auth: Auth) -> None:
    response = await referral.client.post(
        "/referrals",
        json={"case_id": str(uuid4()), "to_agency": "jiritsu", "reason_codes": ["poverty"]},
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    assert response.status_code == 403
    assert (await referral.client.get("/referrals")).status_code == 401


async def test_transitions_not_allowed_now_are_409(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=["jiritsu"])
    created = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": "jiritsu", "reason_codes": ["poverty"]},
        headers=auth(OWNER),
    )
    rid = created.json()["referral_id"]
    receiver = auth("jiritsu")

    early = await referral.client.post(
        f"/referrals/{rid}/complete", json={"outcome_code": "resolved"}, headers=receiver
    )
    assert early.status_code == 409
    assert _reason(early)[0] == "status"
    # The sender may not accept its own referral.
    by_sender = await referral.client.post(f"/referrals/{rid}/accept", headers=auth(OWNER))
    assert by_sender.status_code == 403
    # A non-manager receiver may not revoke.
    assert (
        await referral.client.post(f"/referrals/{rid}/revoke", headers=receiver)
    ).status_code == 403
    assert (
        await referral.client.post(f"/referrals/{rid}/accept", headers=receiver)
    ).status_code == 200
    again = await referral.client.post(f"/referrals/{rid}/accept", headers=receiver)
    assert again.status_code == 409
    assert "accepted" in _reason(again)[1]
    late = await referral.client.post(
        f"/referrals/{rid}/decline", json={"reason_code": "no_capacity"}, headers=receiver
    )
    assert late.status_code == 409
    bad_code = await referral.client.post(
        f"/referrals/{rid}/complete", json={"outcome_code": "whatever"}, headers=receiver
    )
    assert bad_code.status_code == 422
    assert _reason(bad_code)[0] == "outcome_code"
    # Only the request and the acceptance were written and published.
    status = await fetchval(
        referral.dsn, "SELECT status FROM referrals WHERE referral_id = $1", UUID(rid)
    )
    assert status == "accepted"
    assert await _written(referral, case_id) == (1, 2)
