"""Access rules (404 for other agencies, audited), aggregates, overdue regular visits."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from kasane_dev.testing.services import RunningService
from tests.integration.outreach.outreach_support import (
    Auth,
    contact_body,
    fetch,
    register,
    target_body,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def outreach(services: Any) -> RunningService:
    svc: RunningService = await services("outreach")
    return svc


async def test_other_agencies_get_404_and_the_denial_is_audited(
    outreach: RunningService, auth: Auth
) -> None:
    worker = auth("shakyo", "coordinator")
    target_id = await register(outreach, worker)
    assert (await outreach.client.get(f"/targets/{target_id}", headers=worker)).status_code == 200

    stranger = auth("houkatsu-04", "coordinator")
    hidden = await outreach.client.get(f"/targets/{target_id}", headers=stranger)
    missing = await outreach.client.get(f"/targets/{uuid.uuid4()}", headers=stranger)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["message"] == missing.json()["message"]
    for path in ("contacts", "plans"):
        r = await outreach.client.get(f"/targets/{target_id}/{path}", headers=stranger)
        assert r.status_code == 404
    r = await outreach.client.patch(
        f"/targets/{target_id}", json={"stage": "contacted"}, headers=stranger | {"If-Match": "*"}
    )
    assert r.status_code == 404
    r = await outreach.client.post(
        f"/targets/{target_id}/contacts", json=contact_body(), headers=stranger
    )
    assert r.status_code == 404

    # City roles see aggregates only; counselors and auditors are not outreach staff.
    for headers in (
        auth("city-chiiki-fukushi", "city_official"),
        auth("jiritsu", "counselor"),
        auth("city-chiiki-fukushi", "auditor"),
    ):
        assert (
            await outreach.client.get(f"/targets/{target_id}", headers=headers)
        ).status_code == 403
    assert (await outreach.client.get(f"/targets/{target_id}")).status_code == 401

    rows = await fetch(
        outreach.dsn,
        "SELECT actor_agency, action, outcome, legal_basis FROM access_audit"
        " WHERE record_type = 'outreach_target' AND record_id = $1 ORDER BY id",
        target_id,
    )
    assert [(r["actor_agency"], r["action"], r["outcome"]) for r in rows] == [
        ("shakyo", "create", "allowed"),
        ("shakyo", "read", "allowed"),
        ("houkatsu-04", "read", "denied"),
        ("houkatsu-04", "read_contacts", "denied"),
        ("houkatsu-04", "read_plans", "denied"),
        ("houkatsu-04", "update", "denied"),
        ("houkatsu-04", "contact", "denied"),
        # Refused by role before the lookup: audited too.
        ("city-chiiki-fukushi", "read", "denied"),
        ("jiritsu", "read", "denied"),
        ("city-chiiki-fukushi", "read", "denied"),
    ]
    # The patch and the contact by the stranger wrote nothing.
    assert (
        await fetch(
            outreach.dsn, "SELECT 1 FROM contacts WHERE target_id = $1", uuid.UUID(target_id)
        )
    ) == []


async def test_only_the_operator_registers_targets_and_bad_input_writes_nothing(
    outreach: RunningService, auth: Auth
) -> None:
    marker = f"marker {uuid.uuid4()}"
    r = await outreach.client.post(
        "/targets", json=target_body(description=marker), headers=auth("kodomo", "coordinator")
    )
    assert r.status_code == 403
    for change, field in (
        ({"source": "police"}, "source"),
        ({"school_district_code": "00"}, "school_district_code"),
        ({"registered_on": "2999-01-01"}, "registered_on"),
        ({"description": "   "}, "description"),
    ):
        r = await outreach.client.post(
            "/targets",
            json=target_body(description=marker) | change,
            headers=auth("shakyo", "coordinator"),
        )
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field
    rows = await fetch(outreach.dsn, "SELECT 1 FROM targets WHERE description = $1", marker)
    assert rows == []


async def test_city_reads_aggregates(outreach: RunningService, auth: Auth) -> None:
    worker = auth("shakyo", "coordinator")
    await register(outreach, worker, source="fureai", registered_on="2016-05-01")
    r = await outreach.client.get(
        "/stats", params={"fiscal_year": 2016}, headers=auth("city-chiiki-fukushi", "city_official")
    )
    assert r.status_code == 200, r.text
    assert r.json()["registered_by_source"].get("fureai", 0) >= 1
    assert "description" not in r.text
    denied = await outreach.client.get(
        "/stats", params={"fiscal_year": 2016}, headers=auth("jiritsu", "coordinator")
    )
    assert denied.status_code == 403


async def test_overdue_visits_are_listed_per_worker(outreach: RunningService, auth: Auth) -> None:
    worker = auth("shakyo", "coordinator")
    today = date.today() - timedelta(days=1)  # surely not in the future in Japan either
    me, colleague = f"worker-{uuid.uuid4()}", f"worker-{uuid.uuid4()}"
    registered = (today - timedelta(days=30)).isoformat()

    never_visited = await register(
        outreach, worker, assigned_worker=me, visit_interval_days=14, registered_on=registered
    )
    visited = await register(
        outreach, worker, assigned_worker=me, visit_interval_days=14, registered_on=registered
    )
    phoned_only = await register(
        outreach, worker, assigned_worker=me, visit_interval_days=7, registered_on=registered
    )
    colleagues = await register(
        outreach, worker, assigned_worker=colleague, visit_interval_days=7, registered_on=registered
    )
    no_schedule = await register(outreach, worker, assigned_worker=me, registered_on=registered)

    recent = (today - timedelta(days=3)).isoformat()
    for target, method in ((visited, "visit"), (phoned_only, "phone")):
        r = await outreach.client.post(
            f"/targets/{target}/contacts",
            json=contact_body(method=method, attempted_on=recent),
            headers=worker,
        )
        assert r.status_code == 201, r.text

    mine = await outreach.client.get(
        "/visits/overdue", params={"worker": me, "as_of": today.isoformat()}, headers=worker
    )
    assert mine.status_code == 200, mine.text
    items = mine.json()["by_worker"][me]
    assert list(mine.json()["by_worker"]) == [me]
    # Most overdue first: the weekly one (due 23 days ago), then the fortnightly (16 days).
    assert [(i["target_id"], i["days_overdue"]) for i in items] == [
        (phoned_only, 23),
        (never_visited, 16),
    ]
    assert visited not in str(items) and no_schedule not in str(items)

    everyone = await outreach.client.get(
        "/visits/overdue", params={"as_of": today.isoformat()}, headers=worker
    )
    assert colleagues in [i["target_id"] for i in everyone.json()["by_worker"][colleague]]

    # An ended target is no longer due.
    await outreach.client.post(
        f"/targets/{phoned_only}/end", json={"reason_code": "moved"}, headers=worker
    )
    mine = await outreach.client.get(
        "/visits/overdue", params={"worker": me, "as_of": today.isoformat()}, headers=worker
    )
    assert [i["target_id"] for i in mine.json()["by_worker"][me]] == [never_visited]
