"""ケース再開 (POST /cases/{id}/reopen) on the real stack: the case is open again with its
timeline, the event carries codes only, and every refusal is a clear 4xx, audited, with
nothing written."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest

from kasane.events import EventRegistry, all_contracts
from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.fixtures_data import table_count
from tests.integration.helpers import eventually, read_topic
from tests.integration.intake.intake_steps import Auth, consultation, household_case

pytestmark = pytest.mark.integration

REGISTRY = EventRegistry(c for group in all_contracts().values() for c in group)
OWNER = "houkatsu-06"


def _today() -> str:
    return date.today().isoformat()


async def _closed_case(intake: RunningService, staff: dict[str, str]) -> dict[str, str]:
    ids = await household_case(intake, staff)
    closed = await intake.client.post(
        f"/cases/{ids['case']}/close",
        json={"reason": "resolved", "closed_on": _today(), "note": "終結時のメモ"},
        headers=staff,
    )
    assert closed.status_code == 200, closed.text
    return ids


async def _denials(dsn: str, agency: str, case_id: str) -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT action FROM access_audit WHERE actor_agency = $1 AND record_id = $2"
            " AND outcome = 'denied' ORDER BY id",
            agency,
            case_id,
        )
        return [r["action"] for r in rows]
    finally:
        await conn.close()


REOPEN = {"reason": "same_issue_returned", "reopened_on": date.today().isoformat()}


async def test_reopening_a_closed_case_opens_it_again_with_its_timeline(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    staff = auth(OWNER, "counselor")
    ids = await _closed_case(intake, staff)
    body = {**REOPEN, "note": "本人から再度の電話あり"}
    headers = {**staff, "Idempotency-Key": f"reopen-{ids['case']}"}
    reopened = await intake.client.post(f"/cases/{ids['case']}/reopen", json=body, headers=headers)
    assert reopened.status_code == 200, reopened.text
    assert reopened.json() == {"case_id": ids["case"], "status": "open", "reopened_on": _today()}
    # A retry with the same key answers the same, and reopens nothing twice.
    again = await intake.client.post(f"/cases/{ids['case']}/reopen", json=body, headers=headers)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"

    case = (await intake.client.get(f"/cases/{ids['case']}", headers=staff)).json()
    assert (case["status"], case["closed_on"], case["reopened_on"]) == ("open", None, _today())
    assert case["reopenings"] == [
        {
            "reopened_on": _today(),
            "reason": "same_issue_returned",
            "note": "本人から再度の電話あり",
            "closed_on": _today(),
            "close_reason": "resolved",
            "reopened_agency": OWNER,
        }
    ]
    # The 支援経過記録 goes on in the same case, and a consultation joins it.
    record = await intake.client.post(
        f"/cases/{ids['case']}/records",
        json={"kind": "call", "occurred_at": f"{_today()}T15:00:00+09:00", "body": "再相談"},
        headers=staff,
    )
    assert record.status_code == 201, record.text
    joined = await intake.client.post(
        "/consultations", json=consultation(case_id=ids["case"]), headers=staff
    )
    assert joined.status_code == 201 and joined.json()["case_id"] == ids["case"]

    topic = topic_for("intake", settings.topic_namespace)

    async def reopen_events() -> list[Any]:
        records = await read_topic(settings.kafka_bootstrap, topic, settle_s=0.5)
        parsed = [REGISTRY.parse(r.value) for r in records if r.key == ids["case"].encode()]
        return [p for p in parsed if p.envelope.event_type == "intake.CaseReopened"]

    (event,) = await eventually(reopen_events, lambda found: len(found) >= 1)
    assert event.envelope.payload == {
        "case_id": ids["case"],
        "household_id": ids["household"],
        "lead_agency_id": OWNER,
        "reopened_on": _today(),
        "reason_code": "same_issue_returned",
    }
    assert "本人" not in json.dumps(event.envelope.payload, ensure_ascii=False)
    # Closing again on the reopening's day would leave the order of the two to guesswork in
    # every service that keeps the intake read model: refused, naming the date.
    same_day = await intake.client.post(
        f"/cases/{ids['case']}/close",
        json={"reason": "resolved", "closed_on": _today()},
        headers=staff,
    )
    assert same_day.status_code == 422 and same_day.json()["errors"][0]["field"] == "closed_on"
    assert "再開日より後" in same_day.json()["errors"][0]["reason"]


async def test_a_case_that_is_not_closed_is_refused_409_without_writes(
    intake: RunningService, auth: Auth
) -> None:
    staff = auth(OWNER, "coordinator")
    ids = await household_case(intake, staff)
    before = [await table_count(intake.dsn, t) for t in ("case_reopenings", "outbox")]
    refused = await intake.client.post(f"/cases/{ids['case']}/reopen", json=REOPEN, headers=staff)
    assert refused.status_code == 409
    (error,) = refused.json()["errors"]
    assert error["field"] == "case_id" and "終結していないケースは再開できません" in error["reason"]
    after = [await table_count(intake.dsn, t) for t in ("case_reopenings", "outbox")]
    assert after == before


async def test_bad_dates_and_codes_are_422_naming_the_field(
    intake: RunningService, auth: Auth
) -> None:
    staff = auth(OWNER, "counselor")
    ids = await _closed_case(intake, staff)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], str]] = [
        ({**REOPEN, "reopened_on": yesterday}, "reopened_on"),  # before the closure
        ({**REOPEN, "reason": "nope"}, "reason"),
        ({**REOPEN, "note": "x" * 2001}, "note"),
    ]
    for body, field in cases:
        response = await intake.client.post(
            f"/cases/{ids['case']}/reopen", json=body, headers=staff
        )
        assert response.status_code == 422, (field, response.text)
        assert response.json()["errors"][0]["field"] == field
    case = (await intake.client.get(f"/cases/{ids['case']}", headers=staff)).json()
    assert case["status"] == "closed" and case["reopenings"] == []


async def test_a_household_with_a_newer_open_case_keeps_it(
    intake: RunningService, auth: Auth
) -> None:
    staff = auth(OWNER, "counselor")
    ids = await _closed_case(intake, staff)
    newer = await intake.client.post(
        "/cases", json={"household_id": ids["household"]}, headers=staff
    )
    assert newer.status_code == 201
    refused = await intake.client.post(f"/cases/{ids['case']}/reopen", json=REOPEN, headers=staff)
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "household_id"


async def test_who_may_not_reopen_is_refused_and_audited(
    intake: RunningService, auth: Auth
) -> None:
    ids = await _closed_case(intake, auth(OWNER, "counselor"))
    path = f"/cases/{ids['case']}/reopen"
    # Roles refused before the case is looked up: 403, audited as an attempted change.
    for agency, role in ((OWNER, "manager"), ("city-chiiki-fukushi", "city_official")):
        response = await intake.client.post(path, json=REOPEN, headers=auth(agency, role))
        assert response.status_code == 403, (role, response.text)
        assert await _denials(intake.dsn, agency, ids["case"]) == ["change"], role
    # Another agency's counselor: the case is not even revealed (404), and audited.
    stranger = await intake.client.post(path, json=REOPEN, headers=auth("kikan-02", "counselor"))
    assert stranger.status_code == 404
    assert await _denials(intake.dsn, "kikan-02", ids["case"]) == ["reopen"]
    case = await intake.client.get(f"/cases/{ids['case']}", headers=auth(OWNER, "counselor"))
    assert case.json()["status"] == "closed"
