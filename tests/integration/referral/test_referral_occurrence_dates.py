"""Work entered after the fact counts in its own 年度 (issue 18): a referral made and accepted
in FY2025 but entered in FY2026 is counted by indicators in FY2025; impossible days are a
422 naming the field, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest

from kasane.clock import FixedClock, system_clock
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.referral.referral_fixtures import (
    events_of,
    fetchval,
    open_case,
    record_consent,
)

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
OWNER, RECEIVER = "houkatsu-05", "jiritsu"
ENTERED = "2026-04-10T10:00:00+09:00"  # FY2026; open_case opens the case on 2025-06-02


@pytest.fixture
def in_fy2026(referral: RunningService) -> Iterator[None]:
    """Pin the referral service's clock to 2026-04-10 (the entry happens in FY2026)."""
    app = referral.client._transport.app  # type: ignore[attr-defined]
    clock = FixedClock(datetime.fromisoformat(ENTERED))
    app.dependency_overrides[system_clock] = lambda: clock
    try:
        yield
    finally:
        app.dependency_overrides.pop(system_clock, None)


async def _case(referral: RunningService, settings: Settings) -> UUID:
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=[RECEIVER])
    return case_id


async def _request(referral: RunningService, auth: Auth, case_id: UUID, **extra: Any) -> Any:
    return await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": RECEIVER, "reason_codes": ["poverty"]} | extra,
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


def _reason(response: Any) -> tuple[str, str]:
    [error] = response.json()["errors"]
    return str(error["field"]), str(error["reason"])


async def _traced(indicators: RunningService, auth: Auth, fy: int, figure: str) -> set[str]:
    response = await indicators.client.get(
        "/operations/trace",
        params={"fiscal_year": fy, "figure": figure},
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    assert response.status_code == 200, response.text
    return set(response.json()["event_ids"])


async def test_a_fy2025_referral_entered_in_fy2026_counts_in_fy2025(
    referral: RunningService,
    indicators: RunningService,
    auth: Auth,
    settings: Settings,
    in_fy2026: None,
) -> None:
    case_id = await _case(referral, settings)

    created = await _request(referral, auth, case_id, requested_on="2025-11-20")
    assert created.status_code == 201, created.text
    assert created.json()["requested_on"] == "2025-11-20"
    # Five business days from the day it was made, not from the day it was entered.
    assert created.json()["due_on"] == "2025-11-28"
    referral_id = created.json()["referral_id"]
    accepted = await referral.client.post(
        f"/referrals/{referral_id}/accept",
        json={"accepted_on": "2025-11-25"},
        headers=auth(RECEIVER, "counselor"),
    )
    assert accepted.status_code == 200, accepted.text
    detail = accepted.json()
    assert detail["requested_on"] == "2025-11-20"
    assert detail["accepted_on"] == "2025-11-25"
    assert detail["requested_at"].startswith("2026-04-10")  # the entry time is kept apart

    envelopes = await eventually(
        lambda: events_of(settings, "referral", case_id), lambda found: len(found) >= 2
    )
    ids = {e["event_type"]: e["event_id"] for e in envelopes}
    payloads = {e["event_type"]: e["payload"] for e in envelopes}
    assert payloads["referral.ReferralRequested"]["requested_on"] == "2025-11-20"
    assert payloads["referral.ReferralAccepted"]["accepted_on"] == "2025-11-25"
    requested_id = ids["referral.ReferralRequested"]
    accepted_id = ids["referral.ReferralAccepted"]

    await eventually(
        lambda: _traced(indicators, auth, 2025, "referrals.requested"),
        lambda found: requested_id in found,
    )
    assert accepted_id in await _traced(indicators, auth, 2025, "referrals.accepted")
    assert requested_id not in await _traced(indicators, auth, 2026, "referrals.requested")


async def test_a_referral_dated_in_the_future_is_422_and_writes_nothing(
    referral: RunningService, auth: Auth, settings: Settings, in_fy2026: None
) -> None:
    case_id = await _case(referral, settings)

    response = await _request(referral, auth, case_id, requested_on="2026-04-11")

    assert response.status_code == 422, response.text
    field, reason = _reason(response)
    assert field == "requested_on"
    assert "依頼日が未来です" in reason
    assert await _written(referral, case_id) == (0, 0)


async def test_a_referral_dated_before_the_case_opened_is_422_and_writes_nothing(
    referral: RunningService, auth: Auth, settings: Settings, in_fy2026: None
) -> None:
    case_id = await _case(referral, settings)

    response = await _request(referral, auth, case_id, requested_on="2025-06-01")

    assert response.status_code == 422, response.text
    field, reason = _reason(response)
    assert field == "requested_on"
    assert "ケース開始日（2025-06-02）より前です" in reason
    assert await _written(referral, case_id) == (0, 0)


async def test_an_acceptance_dated_before_the_request_or_in_the_future_is_422(
    referral: RunningService, auth: Auth, settings: Settings, in_fy2026: None
) -> None:
    case_id = await _case(referral, settings)
    created = await _request(referral, auth, case_id, requested_on="2025-11-20")
    assert created.status_code == 201, created.text
    path = f"/referrals/{created.json()['referral_id']}/accept"

    for day, expected in (("2025-11-19", "依頼日（2025-11-20）より前です"), ("2026-04-11", "未来")):
        response = await referral.client.post(
            path, json={"accepted_on": day}, headers=auth(RECEIVER, "counselor")
        )
        assert response.status_code == 422, response.text
        field, reason = _reason(response)
        assert field == "accepted_on"
        assert expected in reason
    status = await fetchval(
        referral.dsn, "SELECT status FROM referrals WHERE case_id = $1", case_id
    )
    assert status == "requested"
    assert await _written(referral, case_id) == (1, 1)  # only the request's event
