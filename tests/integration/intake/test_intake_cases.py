"""Cases, consultations, consents and 支援経過記録 on the real stack, with their events."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from kasane.events import EventRegistry, all_contracts
from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.fixtures_data import table_count
from tests.integration.helpers import eventually, read_topic
from tests.integration.intake.intake_steps import (
    Auth,
    consultation,
    household_case,
    person_body,
    record_consent,
)

pytestmark = pytest.mark.integration

REGISTRY = EventRegistry(c for group in all_contracts().values() for c in group)


async def _events_of(settings: Settings, case_id: str, count: int) -> list[Any]:
    topic = topic_for("intake", settings.topic_namespace)

    async def mine() -> list[Any]:
        records = await read_topic(settings.kafka_bootstrap, topic, settle_s=0.5)
        return [r for r in records if r.key == case_id.encode()]

    return await eventually(mine, lambda found: len(found) >= count)


async def test_consultation_opens_a_case_and_publishes_its_events(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    staff = auth("houkatsu-05", "counselor")
    ids = await household_case(intake, staff)
    records = await _events_of(settings, ids["case"], 3)
    types = [REGISTRY.parse(r.value).envelope.event_type for r in records]
    assert types == ["intake.CaseOpened", "intake.ConsultationReceived", "intake.CaseClassified"]
    classified = REGISTRY.parse(records[2].value).contract
    assert classified.issue_codes == ["elderly_care", "hikikomori"]  # type: ignore[attr-defined]

    case = (await intake.client.get(f"/cases/{ids['case']}", headers=staff)).json()
    assert case["lead_agency_id"] == "houkatsu-05"
    assert case["access"] == {"level": "work", "basis": "owner"}
    assert [c["narrative"] for c in case["consultations"]] == ["息子が長年外出していない。"]


async def test_a_second_open_case_for_the_household_is_refused_without_partial_writes(
    intake: RunningService, auth: Auth
) -> None:
    staff = auth("houkatsu-05", "counselor")
    ids = await household_case(intake, staff)
    before = [await table_count(intake.dsn, t) for t in ("cases", "consultations", "outbox")]
    again = await intake.client.post(
        "/consultations", json=consultation(household_id=ids["household"]), headers=staff
    )
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "household_id"
    by_case = await intake.client.post(
        "/cases", json={"household_id": ids["household"]}, headers=staff
    )
    assert by_case.status_code == 409
    after = [await table_count(intake.dsn, t) for t in ("cases", "consultations", "outbox")]
    assert after == before


async def test_later_consultations_join_the_case_and_reclassify_it(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    staff = auth("houkatsu-05", "counselor")
    ids = await household_case(intake, staff)
    response = await intake.client.post(
        "/consultations",
        json=consultation(
            case_id=ids["case"],
            issue_codes=["debt"],
            outcome="to_multiagency",
            between_systems={"flag": True, "reason": "どの制度にも当てはまらない"},
        ),
        headers=staff,
    )
    assert response.status_code == 201, response.text
    assert response.json()["case_id"] == ids["case"]
    records = await _events_of(settings, ids["case"], 6)
    parsed = [REGISTRY.parse(r.value) for r in records]
    last = {p.envelope.event_type: p.contract for p in parsed[3:]}
    assert last["intake.CaseClassified"].issue_codes == [  # type: ignore[attr-defined]
        "elderly_care",
        "hikikomori",
        "debt",
    ]
    assert last["intake.CaseClassified"].between_systems is True  # type: ignore[attr-defined]
    assert last["intake.CaseEscalated"].program == "multiagency"  # type: ignore[attr-defined]
    # 制度の狭間 without a reason is refused.
    refused = await intake.client.post(
        "/consultations",
        json=consultation(case_id=ids["case"], between_systems={"flag": True}),
        headers=staff,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "between_systems.reason"


async def test_consent_is_recorded_and_withdrawn_with_events(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    staff = auth("houkatsu-05", "counselor")
    ids = await household_case(intake, staff)
    consent = await record_consent(
        intake, staff, ids["case"], ids["son"], ["kikan-02"], ["multilayer_meeting"]
    )
    withdrawn = await intake.client.post(
        f"/consents/{consent}/withdraw",
        json={"withdrawn_on": date.today().isoformat()},
        headers=staff,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    twice = await intake.client.post(
        f"/consents/{consent}/withdraw",
        json={"withdrawn_on": date.today().isoformat()},
        headers=staff,
    )
    assert twice.status_code == 409
    records = await _events_of(settings, ids["case"], 5)
    by_type = {REGISTRY.parse(r.value).envelope.event_type: r for r in records}
    recorded = json.loads(by_type["intake.ConsentRecorded"].value)["payload"]
    assert recorded["scope_agencies"] == ["kikan-02"]
    assert recorded["scope_meeting_types"] == ["multilayer_meeting"]
    assert recorded["method"] == "written"
    assert "intake.ConsentWithdrawn" in by_type


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        ({"agencies": ["no-such-agency"]}, "scope.agencies"),
        ({"agencies": [], "programs": [], "meeting_types": []}, "scope"),
        ({"meeting_types": ["tea_party"]}, "scope.meeting_types.0"),
    ],
)
async def test_bad_consent_scope_is_422(
    scope: dict[str, Any], field: str, intake: RunningService, auth: Auth
) -> None:
    staff = auth("houkatsu-05", "counselor")
    ids = await household_case(intake, staff)
    before = await table_count(intake.dsn, "consents")
    response = await intake.client.post(
        f"/cases/{ids['case']}/consents",
        json={
            "person_id": ids["son"],
            "scope": scope,
            "method": "verbal",
            "consented_on": "2025-06-10",
        },
        headers=staff,
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await table_count(intake.dsn, "consents") == before


async def test_consent_for_someone_outside_the_case_is_422(
    intake: RunningService, auth: Auth
) -> None:
    staff = auth("houkatsu-05", "counselor")
    ids = await household_case(intake, staff)
    stranger = (await intake.client.post("/persons", json=person_body(), headers=staff)).json()
    response = await intake.client.post(
        f"/cases/{ids['case']}/consents",
        json={
            "person_id": stranger["person_id"],
            "scope": {"agencies": ["jiritsu"]},
            "method": "verbal",
            "consented_on": "2025-06-10",
        },
        headers=staff,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "person_id"


async def test_records_timeline_pages_and_closing(intake: RunningService, auth: Auth) -> None:
    staff = auth("houkatsu-05", "counselor")
    ids = await household_case(intake, staff)
    for day in (3, 1, 2):
        response = await intake.client.post(
            f"/cases/{ids['case']}/records",
            json={
                "kind": "visit",
                "occurred_at": f"2025-07-0{day}T10:00:00+09:00",
                "body": f"訪問 {day}",
            },
            headers=staff,
        )
        assert response.status_code == 201, response.text
    first = (
        await intake.client.get(f"/cases/{ids['case']}/records", params={"limit": 2}, headers=staff)
    ).json()
    assert [r["body"] for r in first["items"]] == ["訪問 1", "訪問 2"]
    rest = (
        await intake.client.get(
            f"/cases/{ids['case']}/records",
            params={"limit": 2, "after": first["next_after"]},
            headers=staff,
        )
    ).json()
    assert [r["body"] for r in rest["items"]] == ["訪問 3"]

    closed = await intake.client.post(
        f"/cases/{ids['case']}/close",
        json={"reason": "resolved", "closed_on": "2025-08-01"},
        headers=staff,
    )
    assert closed.status_code == 200, closed.text
    late = await intake.client.post(
        f"/cases/{ids['case']}/records",
        json={"kind": "note", "occurred_at": "2025-08-02T10:00:00+09:00", "body": "x"},
        headers=staff,
    )
    assert late.status_code == 409
    again = await intake.client.post(
        f"/cases/{ids['case']}/close",
        json={"reason": "resolved", "closed_on": "2025-08-01"},
        headers=staff,
    )
    assert again.status_code == 409
    # After closing, a new case may be opened for the household.
    reopened = await intake.client.post(
        "/cases", json={"household_id": ids["household"]}, headers=staff
    )
    assert reopened.status_code == 201
