"""見守りネットワーク concern reports: codes-only event, audited reads, intake's queue."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest

from kasane.events import topic_for, wrap
from kasane.events.intake import ConsultationReceived
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.community.community_support import Auth, events_where
from tests.integration.helpers import eventually, produce

pytestmark = pytest.mark.integration

NOTICED = "新聞がたまっている。夜も電気がつかない"
LOCATION = "○○町3丁目の角の家"


def concern(**overrides: Any) -> dict[str, Any]:
    body = {
        "school_district_code": "12",
        "reporter_type": "business",
        "urgency": "urgent",
        "issue_codes": ["isolation", "elderly_care"],
        "noticed": NOTICED,
        "location": LOCATION,
        "reporter_contact": "新聞販売店 090-0000-0000",
    }
    return {**body, **overrides}


@pytest.fixture
async def community(services: Any) -> RunningService:
    svc: RunningService = await services("community")
    return svc


async def audit_rows(dsn: str, record_id: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        return list(
            await conn.fetch(
                "SELECT actor_agency, action, outcome FROM access_audit"
                " WHERE record_type = 'concern' AND record_id = $1 ORDER BY id",
                record_id,
            )
        )
    finally:
        await conn.close()


async def test_concern_event_carries_codes_only(
    community: RunningService, auth: Auth, settings: Settings
) -> None:
    created = await community.client.post(
        "/concerns", json=concern(), headers=auth("shakyo", "coordinator")
    )
    assert created.status_code == 201, created.text
    concern_id = created.json()["concern_id"]

    [event] = await events_where(
        settings, "community", lambda e: e["payload"].get("concern_id") == concern_id, 1
    )
    assert event["event_type"] == "community.ConcernReported"
    assert event["payload"] == {
        "concern_id": concern_id,
        "school_district_code": "12",
        "reporter_type": "business",
        "urgency": "urgent",
        "issue_codes": ["isolation", "elderly_care"],
        "reported_on": event["payload"]["reported_on"],
    }
    raw = str(event)
    for personal in (NOTICED, LOCATION, "090-0000-0000"):
        assert personal not in raw


async def test_details_are_read_by_shakyo_and_audited_others_get_404(
    community: RunningService, auth: Auth
) -> None:
    created = await community.client.post(
        "/concerns", json=concern(), headers=auth("shakyo", "coordinator")
    )
    concern_id = created.json()["concern_id"]

    got = await community.client.get(f"/concerns/{concern_id}", headers=auth("shakyo", "manager"))
    assert got.status_code == 200
    assert (got.json()["noticed"], got.json()["location"]) == (NOTICED, LOCATION)

    other = await community.client.get(
        f"/concerns/{concern_id}", headers=auth("houkatsu-05", "counselor")
    )
    assert other.status_code == 404
    unknown = await community.client.get(
        f"/concerns/{uuid.uuid4()}", headers=auth("houkatsu-05", "counselor")
    )
    assert unknown.status_code == 404
    assert other.json() == unknown.json()  # existence is not revealed
    city = await community.client.get(
        f"/concerns/{concern_id}", headers=auth("city-chiiki-fukushi", "city_official")
    )
    assert city.status_code == 403

    rows = await audit_rows(community.dsn, concern_id)
    assert [(r["actor_agency"], r["action"], r["outcome"]) for r in rows] == [
        ("shakyo", "create", "allowed"),
        ("shakyo", "read", "allowed"),
        ("houkatsu-05", "read", "denied"),
        ("city-chiiki-fukushi", "read", "denied"),  # refused by role: audited too
    ]

    listed = await community.client.get("/concerns", headers=auth("shakyo", "coordinator"))
    [summary] = [c for c in listed.json() if c["concern_id"] == concern_id]
    assert "noticed" not in summary and summary["urgency"] == "urgent"


async def test_the_agency_whose_intake_queued_the_concern_may_read_it(
    community: RunningService, auth: Auth, settings: Settings
) -> None:
    created = await community.client.post(
        "/concerns", json=concern(school_district_code="03"), headers=auth("shakyo", "coordinator")
    )
    concern_id = created.json()["concern_id"]
    houkatsu = auth("houkatsu-02", "counselor")
    assert (
        await community.client.get(f"/concerns/{concern_id}", headers=houkatsu)
    ).status_code == 404

    # intake turned the concern into a pending consultation at houkatsu-02.
    queued = ConsultationReceived(
        consultation_id=uuid.uuid4(),
        agency_id="houkatsu-02",
        received_at=datetime.now(UTC),
        channel="watch_network",
        issue_codes=["isolation"],
        age_band="80-89",
        school_district_code="03",
        is_complex=False,
        concern_id=uuid.UUID(concern_id),
    )
    envelope = wrap(queued, producer="intake", municipality_code="402036", agency_id="houkatsu-02")
    await produce(
        settings.kafka_bootstrap,
        topic_for("intake", settings.topic_namespace),
        [(queued.partition_key().encode(), envelope.to_bytes())],
    )

    async def status() -> int:
        return (await community.client.get(f"/concerns/{concern_id}", headers=houkatsu)).status_code

    assert await eventually(status, lambda s: s == 200) == 200
    # Still nobody else.
    other = await community.client.get(
        f"/concerns/{concern_id}", headers=auth("houkatsu-03", "counselor")
    )
    assert other.status_code == 404
    listed = await community.client.get("/concerns", headers=auth("shakyo", "coordinator"))
    [summary] = [c for c in listed.json() if c["concern_id"] == concern_id]
    assert summary["queued_at"] == ["houkatsu-02"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"school_district_code": "00"}, "school_district_code"),
        ({"reporter_type": "police"}, "reporter_type"),
        ({"urgency": "asap"}, "urgency"),
        ({"issue_codes": ["nope"]}, "issue_codes"),
        ({"noticed": "  "}, "noticed"),
        ({"reported_on": "2999-01-01"}, "reported_on"),
    ],
)
async def test_bad_concern_is_refused_and_nothing_published(
    community: RunningService, auth: Auth, overrides: dict[str, Any], field: str
) -> None:
    marker = f"marker-{uuid.uuid4()}"
    r = await community.client.post(
        "/concerns",
        json=concern(location=marker, **overrides),
        headers=auth("shakyo", "coordinator"),
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field
    conn = await asyncpg.connect(community.dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM concerns WHERE location = $1", marker) == 0
    finally:
        await conn.close()


async def test_only_shakyo_takes_concern_reports(community: RunningService, auth: Auth) -> None:
    r = await community.client.post(
        "/concerns", json=concern(), headers=auth("houkatsu-01", "counselor")
    )
    assert r.status_code == 403
