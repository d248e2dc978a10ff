"""Consumer guarantees on the real broker: duplicates count once, poison goes to the DLQ."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from kasane.events.topics import dlq_topic_for, topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.fixtures_data import consultation_event, counted
from tests.integration.helpers import eventually, produce, read_topic

pytestmark = pytest.mark.integration


async def test_same_event_delivered_twice_is_counted_once(
    indicators: RunningService, auth: Callable[..., dict[str, str]], settings: Settings
) -> None:
    topic = topic_for("intake", settings.topic_namespace)
    duplicate, sentinel = consultation_event(2013), consultation_event(2013)
    key = b"case-dup"  # one key: one partition, so the sentinel is handled after both copies
    await produce(
        settings.kafka_bootstrap,
        topic,
        [(key, duplicate.to_bytes()), (key, duplicate.to_bytes()), (key, sentinel.to_bytes())],
    )
    city = auth("city-chiiki-fukushi", "city_official")
    # Two distinct events, three deliveries.
    assert await eventually(lambda: counted(indicators, city, 2013), lambda n: n >= 2) == 2


async def test_poison_messages_go_to_the_dead_letter_topic_and_consumption_goes_on(
    indicators: RunningService, auth: Callable[..., dict[str, str]], settings: Settings
) -> None:
    topic = topic_for("intake", settings.topic_namespace)
    dlq = dlq_topic_for("indicators", settings.topic_namespace)
    key = b"case-poison"
    not_json = b"\xff not json at all"
    unknown_type = json.loads(consultation_event(2014).to_bytes())
    unknown_type["event_type"] = "intake.SomethingNobodyKnows"
    broken_payload = json.loads(consultation_event(2014).to_bytes())
    broken_payload["payload"]["issue_codes"] = "elderly_care"  # a string, not a list
    good = consultation_event(2014)
    poison = [not_json, json.dumps(unknown_type).encode(), json.dumps(broken_payload).encode()]
    await produce(
        settings.kafka_bootstrap, topic, [*((key, p) for p in poison), (key, good.to_bytes())]
    )

    city = auth("city-chiiki-fukushi", "city_official")
    # The good event behind three poison messages on the same partition is still counted.
    assert await eventually(lambda: counted(indicators, city, 2014), lambda n: n == 1) == 1

    async def ours() -> list[object]:
        records = await read_topic(settings.kafka_bootstrap, dlq, settle_s=0.5)
        return [r for r in records if r.key == key]

    letters = await eventually(ours, lambda found: len(found) == 3)
    assert [r.value for r in letters] == poison  # the original bytes, in order
    for record in letters:
        headers = dict(record.headers)
        assert headers["dlq.source_topic"].decode() == topic
        assert headers["dlq.consumer"] == b"indicators"
        assert headers["dlq.error"]  # why it was rejected
    errors = [dict(r.headers)["dlq.error"].decode() for r in letters]
    assert errors[0].startswith("MalformedEvent")
    assert errors[1].startswith("UnknownEvent")
    assert errors[2].startswith("MalformedEvent")
