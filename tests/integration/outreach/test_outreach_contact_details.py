"""A contact's time, place and duration (the phone form's fields): stored, listed, kept out
of the event, and part of what makes a retry the same record."""

from __future__ import annotations

from typing import Any

import pytest

from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.outreach.outreach_support import (
    Auth,
    contact_body,
    events_where,
    register,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def outreach(services: Any) -> RunningService:
    svc: RunningService = await services("outreach")
    return svc


async def test_time_place_and_duration_are_kept_with_the_contact_not_in_the_event(
    outreach: RunningService, auth: Auth, settings: Settings
) -> None:
    worker = auth("shakyo", "coordinator")
    target_id = await register(outreach, worker)
    path = f"/targets/{target_id}/contacts"
    body = contact_body(attempted_time="14:05", place="自宅玄関先", duration_minutes=20)

    first = await outreach.client.post(path, json=body, headers=worker)
    assert first.status_code == 201, first.text
    retry = await outreach.client.post(path, json=body, headers=worker)
    assert retry.headers.get("Idempotent-Replayed") == "true"
    # Another place under the same id is another record: refused, not overwritten.
    clash = await outreach.client.post(path, json=body | {"place": "公園"}, headers=worker)
    assert clash.status_code == 409

    listed = (await outreach.client.get(path, headers=worker)).json()
    assert [(c["attempted_time"], c["place"], c["duration_minutes"]) for c in listed] == [
        ("14:05", "自宅玄関先", 20)
    ]
    bad = await outreach.client.post(path, json=contact_body(duration_minutes=0), headers=worker)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "duration_minutes"

    events = await events_where(
        settings,
        "outreach",
        lambda e: (
            e["event_type"] == "outreach.ContactAttempted"
            and e["payload"]["target_id"] == target_id
        ),
        1,
    )
    assert "自宅玄関先" not in str(events)
    assert "place" not in events[0]["payload"]
