"""The thin slice: intake POST -> outbox -> Kafka -> indicators inbox -> GET."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, read_topic

pytestmark = pytest.mark.integration

# Envelope and payload keys the event may carry: ids, codes, dates. Nothing else.
# A fiscal year no other test writes: the read model is shared by the whole session.
SLICE_FY = 2007

ALLOWED_PAYLOAD = {
    "consultation_id",
    "case_id",
    "agency_id",
    "received_at",
    "channel",
    "issue_codes",
    "age_band",
    "school_district_code",
    "is_complex",
    "consulted_by",
    "urgency",
    "between_systems",
    "outcome",
    "concern_id",
    # 世帯概要 as codes (kasane.households): flags and a size band, never who lives there.
    "household_situations",
    "household_size_band",
}


def consultation(**overrides: Any) -> dict[str, Any]:
    body = {
        "received_at": f"{SLICE_FY}-06-02T10:00:00+09:00",
        "issue_codes": ["elderly_care", "hikikomori", "8050"],
        "age_band": "80-89",
        "school_district_code": "01",
        "channel": "in_person",
    }
    return {**body, **overrides}


async def counts(indicators: RunningService, headers: dict[str, str], fy: int) -> dict[str, Any]:
    response = await indicators.client.get(
        "/indicators/consultations", params={"fiscal_year": fy}, headers=headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_consultation_is_counted_by_indicators(
    intake: RunningService,
    indicators: RunningService,
    auth: Callable[..., dict[str, str]],
    settings: Settings,
) -> None:
    for agency in ("jiritsu", "jiritsu", "houkatsu-03"):
        created = await intake.client.post(
            "/consultations", json=consultation(), headers=auth(agency, "counselor")
        )
        assert created.status_code == 201, created.text

    city = auth("city-chiiki-fukushi", "city_official")
    result = await eventually(lambda: counts(indicators, city, SLICE_FY), lambda r: r["total"] == 3)
    assert result == {
        "fiscal_year": SLICE_FY,
        "total": 3,
        "by_agency": {"houkatsu-03": 1, "jiritsu": 2},
    }

    # An agency token may read the aggregate too.
    assert (await counts(indicators, auth("jiritsu", "counselor"), SLICE_FY))["total"] == 3
    # Another fiscal year is untouched.
    assert (await counts(indicators, city, SLICE_FY - 1))["total"] == 0


async def test_published_event_carries_no_personal_information(
    intake: RunningService, auth: Callable[..., dict[str, str]], settings: Settings
) -> None:
    created = await intake.client.post(
        "/consultations",
        json=consultation(received_at="2030-05-01T09:00:00+09:00"),
        headers=auth("kodomo", "counselor"),
    )
    # 2030 is in the future: refused, so use a past date in a year nobody else uses.
    assert created.status_code == 422
    created = await intake.client.post(
        "/consultations",
        json=consultation(received_at="2019-05-01T09:00:00+09:00"),
        headers=auth("kodomo", "counselor"),
    )
    assert created.status_code == 201
    consultation_id = created.json()["consultation_id"]
    case_id = created.json()["case_id"]

    topic = topic_for("intake", settings.topic_namespace)

    async def ours() -> list[Any]:
        records = await read_topic(settings.kafka_bootstrap, topic, settle_s=0.5)
        return [r for r in records if consultation_id.encode() in (r.value or b"")]

    [record] = await eventually(ours, lambda found: len(found) == 1)
    envelope = json.loads(record.value)
    assert envelope["event_type"] == "intake.ConsultationReceived"
    assert envelope["municipality_code"] == "402036"
    assert envelope["agency_id"] == "kodomo"
    assert set(envelope["payload"]) <= ALLOWED_PAYLOAD
    assert record.key == case_id.encode()  # keyed by the case: one case's events stay in order
    assert envelope["payload"]["case_id"] == case_id
    headers = dict(record.headers)
    assert headers["event_id"].decode() == envelope["event_id"]
