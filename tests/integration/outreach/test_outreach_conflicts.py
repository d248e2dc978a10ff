"""Field work conflicts: versioned PATCH (ETag / If-Match) and idempotent contact records."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.outreach.outreach_support import (
    Auth,
    contact_body,
    events_where,
    fetch,
    register,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def outreach(services: Any) -> RunningService:
    svc: RunningService = await services("outreach")
    return svc


async def test_a_stale_write_is_refused_and_changes_nothing(
    outreach: RunningService, auth: Auth
) -> None:
    a, b = auth("shakyo", "coordinator"), auth("shakyo", "manager")
    target_id = await register(outreach, a)
    # Both workers read the same version before going out.
    tag_a = (await outreach.client.get(f"/targets/{target_id}", headers=a)).headers["ETag"]
    tag_b = (await outreach.client.get(f"/targets/{target_id}", headers=b)).headers["ETag"]
    assert tag_a == tag_b

    first = await outreach.client.patch(
        f"/targets/{target_id}",
        json={"description": "A: 雨戸の家（表札なし）"},
        headers=a | {"If-Match": tag_a},
    )
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] != tag_a

    stale = await outreach.client.patch(
        f"/targets/{target_id}",
        json={"description": "B: 別の記述", "stage": "contacted"},
        headers=b | {"If-Match": tag_b},
    )
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["field"] == "If-Match"

    now = await outreach.client.get(f"/targets/{target_id}", headers=b)
    assert now.json()["description"] == "A: 雨戸の家（表札なし）"
    assert now.json()["stage"] == "not_contacted"
    assert now.headers["ETag"] == first.headers["ETag"]

    # B reads again and retries on the current version.
    retried = await outreach.client.patch(
        f"/targets/{target_id}",
        json={"stage": "contacted"},
        headers=b | {"If-Match": now.headers["ETag"]},
    )
    assert retried.status_code == 200


async def test_patch_without_if_match_is_428(outreach: RunningService, auth: Auth) -> None:
    worker = auth("shakyo", "coordinator")
    target_id = await register(outreach, worker)
    r = await outreach.client.patch(
        f"/targets/{target_id}", json={"stage": "contacted"}, headers=worker
    )
    assert r.status_code == 428
    assert r.json()["errors"][0]["field"] == "If-Match"
    got = await outreach.client.get(f"/targets/{target_id}", headers=worker)
    assert got.json()["stage"] == "not_contacted"


async def test_retried_contact_is_recorded_once(
    outreach: RunningService, auth: Auth, settings: Settings
) -> None:
    worker = auth("shakyo", "coordinator")
    target_id = await register(outreach, worker)
    body = contact_body()
    path = f"/targets/{target_id}/contacts"

    first = await outreach.client.post(path, json=body, headers=worker)
    retry = await outreach.client.post(path, json=body, headers=worker)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert first.json() == retry.json()
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers

    clash = await outreach.client.post(path, json=body | {"result": "refused"}, headers=worker)
    assert clash.status_code == 409
    assert clash.json()["errors"][0]["field"] == "contact_id"
    # The same id on another target is a clash too, not a second record.
    other = await register(outreach, worker)
    moved = await outreach.client.post(f"/targets/{other}/contacts", json=body, headers=worker)
    assert moved.status_code == 409

    rows = await fetch(
        outreach.dsn,
        "SELECT result FROM contacts WHERE contact_id = $1",
        uuid.UUID(body["contact_id"]),
    )
    assert [r["result"] for r in rows] == ["absent"]
    listed = await outreach.client.get(path, headers=worker)
    assert [c["contact_id"] for c in listed.json()] == [body["contact_id"]]

    # A second, different contact publishes, so we know when the first would have arrived.
    later = contact_body(result="met", attempted_on="2025-05-08")
    assert (await outreach.client.post(path, json=later, headers=worker)).status_code == 201
    events = await events_where(
        settings,
        "outreach",
        lambda e: (
            e["event_type"] == "outreach.ContactAttempted"
            and e["payload"]["target_id"] == target_id
        ),
        2,
    )
    assert [e["payload"]["contact_id"] for e in events] == [
        body["contact_id"],
        later["contact_id"],
    ]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"stage": "flying"}, "stage"),
        ({"stage": "contacted", "changed_on": "2999-01-01"}, "changed_on"),
        ({"stage": "contacted", "changed_on": "2024-01-01"}, "changed_on"),
        ({"school_district_code": "99"}, "school_district_code"),
        ({"visit_interval_days": 0}, "visit_interval_days"),
        ({"description": None}, "description"),
        ({"reason": "理由だけ"}, "stage"),
    ],
)
async def test_bad_patches_name_the_field_and_change_nothing(
    outreach: RunningService, auth: Auth, patch: dict[str, Any], field: str
) -> None:
    worker = auth("shakyo", "coordinator")
    target_id = await register(outreach, worker, registered_on="2025-04-01")
    before = await outreach.client.get(f"/targets/{target_id}", headers=worker)
    r = await outreach.client.patch(
        f"/targets/{target_id}", json=patch, headers=worker | {"If-Match": before.headers["ETag"]}
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field
    after = await outreach.client.get(f"/targets/{target_id}", headers=worker)
    assert after.headers["ETag"] == before.headers["ETag"]


async def test_moving_back_a_stage_needs_a_reason(outreach: RunningService, auth: Auth) -> None:
    worker = auth("shakyo", "coordinator")
    target_id = await register(outreach, worker, registered_on="2025-04-01")

    async def patch(body: dict[str, Any]) -> Any:
        tag = (await outreach.client.get(f"/targets/{target_id}", headers=worker)).headers["ETag"]
        return await outreach.client.patch(
            f"/targets/{target_id}", json=body, headers=worker | {"If-Match": tag}
        )

    # Forward, even skipping a stage, needs only a date.
    assert (await patch({"stage": "relationship", "changed_on": "2025-05-01"})).status_code == 200
    back = await patch({"stage": "contacted", "changed_on": "2025-05-10"})
    assert back.status_code == 422
    assert back.json()["errors"][0]["field"] == "reason"
    ok = await patch(
        {"stage": "contacted", "changed_on": "2025-05-10", "reason": "訪問を拒まれるようになった"}
    )
    assert ok.status_code == 200
    history = ok.json()["stage_history"]
    assert [(h["from_stage"], h["to_stage"], h["reason"]) for h in history] == [
        ("not_contacted", "relationship", None),
        ("relationship", "contacted", "訪問を拒まれるようになった"),
    ]
