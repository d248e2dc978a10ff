"""Due dates in business days, and the overdue list against an injectable "today"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest

from kasane.clock import FixedClock, system_clock
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.referral.referral_fixtures import meeting_decision, open_case

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
OWNER = "houkatsu-07"


@pytest.fixture
def year_end(referral: RunningService) -> Iterator[None]:
    """Pin the referral service's clock to Fri 2025-12-26 (just before 年末年始)."""
    app = referral.client._transport.app  # type: ignore[attr-defined]
    clock = FixedClock(datetime.fromisoformat("2025-12-26T10:00:00+09:00"))
    app.dependency_overrides[system_clock] = lambda: clock
    try:
        yield
    finally:
        app.dependency_overrides.pop(system_clock, None)


async def _refer(
    referral: RunningService, auth: Auth, settings: Settings, to: str
) -> dict[str, str]:
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
    return dict(created.json())


async def test_due_date_skips_year_end_closure_and_holidays(
    referral: RunningService, auth: Auth, settings: Settings, year_end: None
) -> None:
    created = await _refer(referral, auth, settings, "kikan-01")
    # 12/29–1/3 closed, 1/4 is a Sunday: 1/5, 1/6, 1/7, 1/8, 1/9.
    assert created["due_on"] == "2026-01-09"


async def test_overdue_list(
    referral: RunningService, auth: Auth, settings: Settings, year_end: None
) -> None:
    late = await _refer(referral, auth, settings, "kikan-04")
    taken = await _refer(referral, auth, settings, "kikan-04")
    await referral.client.post(
        f"/referrals/{taken['referral_id']}/accept", headers=auth("kikan-04")
    )

    async def overdue(who: str, as_of: str, **params: str) -> set[str]:
        response = await referral.client.get(
            "/referrals",
            params={
                "agency": who,
                "status": "requested",
                "overdue": "true",
                "as_of": as_of,
                **params,
            },
            headers=auth(who),
        )
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert all(item["overdue"] for item in items)
        return {item["referral_id"] for item in items}

    assert late["referral_id"] not in await overdue(OWNER, "2026-01-09")  # due today: not late
    assert late["referral_id"] in await overdue(OWNER, "2026-01-13")
    assert late["referral_id"] in await overdue("kikan-04", "2026-01-13", direction="received")
    assert late["referral_id"] not in await overdue(OWNER, "2026-01-13", direction="received")
    assert taken["referral_id"] not in await overdue("kikan-04", "2026-01-13")
    # Without the overdue filter, each item still says whether it is late on that day.
    listed = await referral.client.get(
        "/referrals", params={"as_of": "2026-01-13"}, headers=auth("kikan-04")
    )
    flags = {i["referral_id"]: i["overdue"] for i in listed.json()["items"]}
    assert flags[late["referral_id"]] is True and flags[taken["referral_id"]] is False
    assert date.fromisoformat(listed.json()["as_of"]) == date(2026, 1, 13)


async def test_listing_another_agency_is_refused(referral: RunningService, auth: Auth) -> None:
    response = await referral.client.get(
        "/referrals", params={"agency": "jiritsu"}, headers=auth(OWNER)
    )
    assert response.status_code == 403
    bad = await referral.client.get("/referrals", params={"status": "lost"}, headers=auth(OWNER))
    assert bad.status_code == 422
