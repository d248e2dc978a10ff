"""outreach's "today" is the shared, pinnable clock (``kasane.clock``): defaults and the
not-in-the-future rules follow it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from kasane.clock import FixedClock, set_clock
from kasane_dev.testing.services import RunningService
from tests.integration.outreach.outreach_support import Auth, contact_body, register

pytestmark = pytest.mark.integration

PINNED = date(2025, 6, 1)


@pytest.fixture
async def outreach(services: Any) -> RunningService:
    svc: RunningService = await services("outreach")
    return svc


@pytest.fixture
def pinned() -> Iterator[None]:
    set_clock(FixedClock(PINNED))
    try:
        yield
    finally:
        set_clock(None)


@pytest.mark.usefixtures("pinned")
async def test_defaults_and_future_checks_follow_the_pinned_clock(
    outreach: RunningService, auth: Auth
) -> None:
    worker = auth("shakyo", "coordinator")
    target_id = await register(outreach, worker)
    got = await outreach.client.get(f"/targets/{target_id}", headers=worker)
    assert got.json()["registered_on"] == "2025-06-01"

    tomorrow = await outreach.client.post(
        "/targets",
        json={"source": "family", "description": "明日の家", "registered_on": "2025-06-02"},
        headers=worker,
    )
    assert tomorrow.status_code == 422
    assert tomorrow.json()["errors"][0]["field"] == "registered_on"
    contact = await outreach.client.post(
        f"/targets/{target_id}/contacts",
        json=contact_body(attempted_on="2025-06-02"),
        headers=worker,
    )
    assert contact.status_code == 422
    assert contact.json()["errors"][0]["field"] == "attempted_on"

    overdue = await outreach.client.get("/visits/overdue", headers=worker)
    assert overdue.json()["as_of"] == "2025-06-01"
    ended = await outreach.client.post(
        f"/targets/{target_id}/end", json={"reason_code": "moved"}, headers=worker
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["ended_on"] == "2025-06-01"
