"""A 支援会議 decision as a referral's legal basis must be a real one: a ``share`` or
``escalate`` decision on that case at a 支援会議, with the receiver among the pledged
members it was shared with (learned from meetings.CaseDiscussed). Anything else is 409
``support_meeting_decision_id``, nothing written but a denied access-audit row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID, uuid4

import httpx
import pytest

from kasane.clock import today_jst
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.referral.referral_fixtures import (
    fetchval,
    meeting_decision,
    open_case,
    record_consent,
    withdraw_consent,
)

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
OWNER, RECEIVER = "houkatsu-07", "kikan-02"


async def _refer(
    referral: RunningService, auth: Auth, case_id: UUID, decision: UUID
) -> httpx.Response:
    return await referral.client.post(
        "/referrals",
        json={
            "case_id": str(case_id),
            "to_agency": RECEIVER,
            "reason_codes": ["disability"],
            "support_meeting_decision_id": str(decision),
        },
        headers=auth(OWNER, "counselor"),
    )


async def _written(referral: RunningService, case_id: UUID) -> tuple[int, int]:
    referrals = await fetchval(
        referral.dsn, "SELECT count(*) FROM referrals WHERE case_id = $1", case_id
    )
    outbox = await fetchval(
        referral.dsn, "SELECT count(*) FROM outbox WHERE key = $1", str(case_id)
    )
    return int(referrals), int(outbox)


async def test_made_up_or_unfitting_decisions_are_refused_and_audited(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    other_case = await open_case(settings, referral, OWNER)
    # The person consented to kikan-02 and then withdrew: only a real decision may remain.
    consent = await record_consent(settings, referral, case_id, OWNER, agencies=[RECEIVER])
    await withdraw_consent(settings, case_id, consent, OWNER)
    members = [OWNER, RECEIVER, "shakyo"]
    unfitting = {
        "made up": uuid4(),
        "another case": await meeting_decision(settings, referral, other_case, members=members),
        "not a 支援会議": await meeting_decision(
            settings, referral, case_id, members=members, meeting_type="multilayer_meeting"
        ),
        "outcome watch": await meeting_decision(
            settings, referral, case_id, members=members, outcome="watch"
        ),
        "receiver not pledged": await meeting_decision(
            settings, referral, case_id, members=[OWNER, "shakyo"]
        ),
        "sharing ended": await meeting_decision(
            settings, referral, case_id, members=members, on=today_jst() - timedelta(days=100)
        ),
    }
    for label, decision in unfitting.items():
        response = await _refer(referral, auth, case_id, decision)
        assert response.status_code == 409, (label, response.text)
        [error] = response.json()["errors"]
        assert error["field"] == "support_meeting_decision_id", label
    assert await _written(referral, case_id) == (0, 0)
    denied = await fetchval(
        referral.dsn,
        "SELECT count(*) FROM access_audit WHERE record_type = 'case' AND record_id = $1"
        " AND action = 'refer' AND outcome = 'denied' AND actor_agency = $2",
        str(case_id),
        OWNER,
    )
    assert denied == len(unfitting)


async def test_a_share_or_escalate_decision_naming_the_receiver_is_a_basis(
    referral: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    for outcome in ("share", "escalate"):
        decision = await meeting_decision(
            settings, referral, case_id, members=[OWNER, RECEIVER], outcome=outcome
        )
        response = await _refer(referral, auth, case_id, decision)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["legal_basis"] == "support_meeting"
        assert body["support_meeting_decision_id"] == str(decision)
