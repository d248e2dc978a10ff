"""GET /plans/{plan_id}: an outreach plan's goals for whoever prepares the 重層的支援会議,
read from the one place they are kept; every read and every refusal audited."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from kasane_dev.testing.services import RunningService
from tests.integration.outreach.outreach_support import Auth, fetch, register

pytestmark = pytest.mark.integration

GOALS = ["週1回の訪問を続け、本人と話せる関係をつくる", "母の通院に同行する"]


@pytest.fixture
async def outreach(services: Any) -> RunningService:
    svc: RunningService = await services("outreach")
    return svc


async def test_a_plan_is_read_by_its_operator_and_refused_to_everyone_else_audited(
    outreach: RunningService, auth: Auth
) -> None:
    worker = auth("shakyo", "coordinator")
    person_id = str(uuid.uuid4())
    target_id = await register(outreach, worker, case_id=str(uuid.uuid4()), person_id=person_id)
    submitted = await outreach.client.post(
        f"/targets/{target_id}/plans",
        json={"goals": GOALS, "wishes": "家から出なくてもよい形で", "review_on": "2099-03-01"},
        headers=worker,
    )
    assert submitted.status_code == 201, submitted.text
    plan_id = submitted.json()["plan_id"]

    for reader in (worker, auth("shakyo", "manager")):
        r = await outreach.client.get(f"/plans/{plan_id}", headers=reader)
        assert r.status_code == 200, r.text
        assert r.json()["goals"] == GOALS
        assert r.json()["status"] == "submitted" and r.json()["target_id"] == target_id

    # Another operator's or agency's coordinator: the same 404 as a plan that does not exist.
    missing = await outreach.client.get(f"/plans/{uuid.uuid4()}", headers=worker)
    assert missing.status_code == 404
    for stranger in (auth("aso", "coordinator"), auth("houkatsu-04", "coordinator")):
        r = await outreach.client.get(f"/plans/{plan_id}", headers=stranger)
        assert r.status_code == 404
        assert r.json()["errors"][0]["field"] == "plan_id"
        assert r.json()["errors"][0]["reason"].startswith("プランが見つかりません")
        assert "訪問" not in r.text
    # Roles that never read outreach records: refused before the lookup.
    for headers in (
        auth("city-chiiki-fukushi", "city_official"),
        auth("jiritsu", "counselor"),
        auth("city-chiiki-fukushi", "auditor"),
    ):
        r = await outreach.client.get(f"/plans/{plan_id}", headers=headers)
        assert r.status_code == 403
        assert "権限がありません" in r.json()["message"]
    assert (await outreach.client.get(f"/plans/{plan_id}")).status_code == 401

    rows = await fetch(
        outreach.dsn,
        "SELECT actor_agency, outcome, legal_basis, purpose, subject_id FROM access_audit"
        " WHERE record_type = 'plan' AND record_id = $1 AND action = 'read' ORDER BY id",
        plan_id,
    )
    assert [(r["actor_agency"], r["outcome"], r["legal_basis"]) for r in rows] == [
        ("shakyo", "allowed", "owner"),
        ("shakyo", "allowed", "owner"),
        ("aso", "denied", None),
        ("houkatsu-04", "denied", None),
        ("city-chiiki-fukushi", "denied", None),
        ("jiritsu", "denied", None),
        ("city-chiiki-fukushi", "denied", None),
    ]
    assert {r["subject_id"] for r in rows[:2]} == {person_id}
    assert {r["purpose"] for r in rows[:2]} == {"アウトリーチ支援"}
