"""An enrolment entered after the fact keeps the day the participation began (issue 18):
by hand, ``started_on`` (not in the future, not before the referral was made); automatically,
the day the referral was accepted, not the day that was entered."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from kasane.clock import today_jst
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.participation.participation_fixtures import (
    ASO,
    Auth,
    enrolled_from,
    participant,
)
from tests.integration.referral.referral_fixtures import (
    events_of,
    fetchval,
    open_case,
    record_consent,
)

pytestmark = pytest.mark.integration

OWNER = "houkatsu-06"


async def _participants(participation: RunningService, case_id: UUID) -> int:
    found = await fetchval(
        participation.dsn, "SELECT count(*) FROM participants WHERE case_id = $1", case_id
    )
    return int(found)


async def test_enrolment_by_hand_takes_a_past_start_within_its_bounds(
    referral: RunningService, participation: RunningService, auth: Auth, settings: Settings
) -> None:
    aso = auth(ASO, "coordinator")
    case_id = await open_case(settings, referral, OWNER)  # opened 2025-06-02
    await record_consent(settings, referral, case_id, OWNER, agencies=[ASO])
    created = await referral.client.post(
        "/referrals",
        json={
            "case_id": str(case_id),
            "to_agency": ASO,
            "reason_codes": ["employment"],
            "requested_on": "2025-09-01",
        },
        headers=auth(OWNER, "counselor"),
    )
    assert created.status_code == 201, created.text
    rid = created.json()["referral_id"]
    accepted = await referral.client.post(
        f"/referrals/{rid}/accept", json={"accepted_on": "2025-09-03"}, headers=aso
    )
    assert accepted.status_code == 200, accepted.text
    await eventually(
        lambda: fetchval(
            participation.dsn,
            "SELECT status || ' ' || requested_on FROM referral_grants WHERE referral_id = $1",
            UUID(rid),
        ),
        lambda found: found == "accepted 2025-09-01",
    )
    tomorrow = (today_jst() + timedelta(days=1)).isoformat()

    for day, reason in (
        ("2025-08-31", "参加開始日がつなぎの依頼日（2025-09-01）より前です"),
        (tomorrow, "参加開始日が未来です"),
    ):
        refused = await participation.client.post(
            "/participants", json={"referral_id": rid, "started_on": day}, headers=aso
        )
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert error["field"] == "started_on"
        assert reason in error["reason"]
    assert await _participants(participation, case_id) == 0

    enrolled = await participation.client.post(
        "/participants", json={"referral_id": rid, "started_on": "2025-09-10"}, headers=aso
    )
    assert enrolled.status_code == 201, enrolled.text
    detail = await participant(participation, auth, UUID(enrolled.json()["id"]))
    assert detail.json()["started_on"] == "2025-09-10"
    envelopes = await eventually(
        lambda: events_of(settings, "participation", case_id),
        lambda found: any(e["event_type"] == "participation.ParticipationStarted" for e in found),
    )
    [started] = [e for e in envelopes if e["event_type"] == "participation.ParticipationStarted"]
    assert started["payload"]["started_on"] == "2025-09-10"


async def test_automatic_enrolment_starts_the_day_the_referral_was_accepted(
    referral: RunningService, participation: RunningService, auth: Auth, settings: Settings
) -> None:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, programs=["participation"])
    created = await referral.client.post(
        "/referrals",
        json={
            "case_id": str(case_id),
            "to_program": "participation",
            "reason_codes": ["hikikomori"],
            "requested_on": "2025-10-01",
        },
        headers=auth(OWNER, "counselor"),
    )
    assert created.status_code == 201, created.text
    rid = UUID(created.json()["referral_id"])
    accepted = await referral.client.post(
        f"/referrals/{rid}/accept",
        json={"accepted_on": "2025-10-03"},
        headers=auth(ASO, "coordinator"),
    )
    assert accepted.status_code == 200, accepted.text

    pid = await enrolled_from(participation, auth, rid)

    detail = await participant(participation, auth, pid)
    assert detail.json()["started_on"] == "2025-10-03"
