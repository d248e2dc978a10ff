"""Records FastStream could not decode, on the real broker: nothing around them is lost.

Before kasane read raw bytes, one such record in a batch made FastStream's decoder raise
before the handler ran, and ``AckPolicy.ACK`` committed the whole batch: the valid events
in it were neither handled nor dead-lettered. Each poison here is produced in ONE producer
batch with the valid events around it, on one partition, so the consumer fetches them
together, as in the incident.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.record.default_records import DefaultRecordBatchBuilder
from aiokafka.structs import ConsumerRecord

from kasane.events.topics import dlq_topic_for, topic_for
from kasane.settings import Settings
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import prepare_run
from kasane_dev.testing.services import RunningService, prepare_database, start_child
from tests.integration.delivery.poison import TRIGGERS, Headers, produce_together
from tests.integration.fixtures_data import consultation_event, counted
from tests.integration.helpers import admin_kwargs, eventually, owner_signer, read_topic

pytestmark = pytest.mark.integration


async def _committed(bootstrap: str, group: str, tp: TopicPartition) -> int:
    admin = AIOKafkaAdminClient(**admin_kwargs(bootstrap))
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group, partitions=[tp])
    finally:
        await admin.close()
    found = offsets.get(tp)
    return -1 if found is None else int(found.offset)


async def _letters(settings: Settings, key: bytes) -> list[ConsumerRecord[Any, Any]]:
    dlq = dlq_topic_for("indicators", settings.topic_namespace)
    records = await read_topic(settings.kafka_bootstrap, dlq, settle_s=0.5)
    return [r for r in records if r.key == key]


@pytest.mark.parametrize(
    ("trigger", "fiscal_year"),
    [(name, 2041 + i) for i, name in enumerate(TRIGGERS)],
    ids=list(TRIGGERS),
)
async def test_undecodable_record_between_two_valid_events_is_dead_lettered_alone(
    trigger: str,
    fiscal_year: int,
    indicators: RunningService,
    auth: Callable[..., dict[str, str]],
    settings: Settings,
) -> None:
    poison, poison_headers = TRIGGERS[trigger]
    topic = topic_for("intake", settings.topic_namespace)
    key = f"case-poison-{trigger}".encode()
    first, second = consultation_event(fiscal_year), consultation_event(fiscal_year)
    landed = await produce_together(
        settings.kafka_bootstrap,
        topic,
        [(key, first.to_bytes(), []), (key, poison, poison_headers), (key, second.to_bytes(), [])],
    )
    assert len({(m.partition, m.offset) for m in landed}) == 3
    assert len({m.partition for m in landed}) == 1

    city = auth("city-chiiki-fukushi", "city_official")
    # Both valid events are handled: the one before the poison and the one after it.
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 2) == 2

    (letter,) = await eventually(lambda: _letters(settings, key), lambda found: len(found) == 1)
    assert letter.value == poison  # the original bytes
    headers = dict(letter.headers)
    assert headers["dlq.error"].startswith(b"MalformedEvent")
    assert headers["dlq.source_topic"].decode() == topic
    assert int(headers["dlq.partition"]) == landed[1].partition
    assert int(headers["dlq.offset"]) == landed[1].offset
    for name, value in poison_headers:  # the record's own headers travel with it
        assert headers[name] == value

    # Offsets are committed past the poison (and past the event after it).
    tp = TopicPartition(topic, landed[2].partition)
    group = f"{settings.topic_namespace}kasane.indicators"
    await eventually(
        lambda: _committed(settings.kafka_bootstrap, group, tp),
        lambda committed: committed >= landed[2].offset + 1,
    )


async def test_valid_event_with_a_header_that_is_not_utf8_is_handled(
    indicators: RunningService, auth: Callable[..., dict[str, str]], settings: Settings
) -> None:
    # FastStream's parser decodes every header value as UTF-8; kasane never reads them as
    # text, so such a header makes nothing poison, and the events around it are handled.
    topic = topic_for("intake", settings.topic_namespace)
    key = b"case-header-not-utf8"
    fiscal_year = 2045
    events = [consultation_event(fiscal_year) for _ in range(3)]
    await produce_together(
        settings.kafka_bootstrap,
        topic,
        [
            (key, events[0].to_bytes(), []),
            (key, events[1].to_bytes(), [("x-trace", b"\xff\xfe")]),
            (key, events[2].to_bytes(), []),
        ],
    )
    city = auth("city-chiiki-fukushi", "city_official")
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 3) == 3
    assert await _letters(settings, key) == []


async def test_consumer_started_after_poison_on_every_partition_counts_every_event(
    service_env: dict[str, str],
    auth: Callable[..., dict[str, str]],
    settings: Settings,
    tmp_path: Path,
) -> None:
    """The incident: indicators stopped, one undecodable record put on each partition of
    the intake topic, 30 consultations, indicators started again (it counted 2 of 30)."""
    # A namespace and database of its own: this indicators starts with nothing consumed.
    namespace = f"{settings.topic_namespace}stopped."
    suffix = f"{settings.database_suffix}_stopped"
    await prepare_database("indicators", settings.model_copy(update={"database_suffix": suffix}))
    topic = topic_for("intake", namespace)
    # Services may not create topics: the namespace's topics and ACLs come first (admin).
    await asyncio.to_thread(prepare_run, settings.model_copy(update={"topic_namespace": namespace}))
    fiscal_year, n = 2046, 30
    poisons = list(TRIGGERS.values())
    for partition in range(3):
        value, headers = poisons[partition % len(poisons)]
        await produce_together(
            settings.kafka_bootstrap, topic, [(None, value, headers)], partition=partition
        )
    events = [consultation_event(fiscal_year) for _ in range(n)]
    items: list[tuple[bytes | None, bytes, Headers]] = [
        (str(e.event_id).encode(), e.to_bytes(), []) for e in events
    ]
    landed = await produce_together(settings.kafka_bootstrap, topic, items)
    assert {m.partition for m in landed} == {0, 1, 2}  # valid events behind every poison

    env = {**service_env, "KASANE_TOPIC_NAMESPACE": namespace, "KASANE_DATABASE_SUFFIX": suffix}
    child = await start_child("indicators", free_port(), env, tmp_path / "indicators.log")
    try:
        city = auth("city-chiiki-fukushi", "city_official")
        async with httpx.AsyncClient(base_url=child.base_url) as client:

            async def total() -> int:
                response = await client.get(
                    "/indicators/consultations",
                    params={"fiscal_year": fiscal_year},
                    headers=city,
                )
                assert response.status_code == 200, response.text
                return int(response.json()["total"])

            assert await eventually(total, lambda got: got >= n, timeout_s=90) == n
        dlq = dlq_topic_for("indicators", namespace)
        letters = await eventually(
            lambda: read_topic(settings.kafka_bootstrap, dlq, settle_s=2.0),
            lambda found: len({dict(r.headers)["dlq.partition"] for r in found}) == 3,
            timeout_s=60,
        )
        # At-least-once: a redelivered batch may dead-letter a record twice, never skip it.
        assert {int(dict(r.headers)["dlq.partition"]) for r in letters} == {0, 1, 2}
        assert all(dict(r.headers)["dlq.error"].startswith(b"MalformedEvent") for r in letters)
    except AssertionError as exc:
        log = (tmp_path / "indicators.log").read_text(errors="replace")[-4000:]
        raise AssertionError(f"{exc}\n--- indicators log (tail) ---\n{log}") from exc
    finally:
        child.kill()


async def test_record_too_large_to_copy_is_dead_lettered_as_a_reference(
    indicators: RunningService, auth: Callable[..., dict[str, str]], settings: Settings
) -> None:
    # The producers' default max_request_size; the broker's message.max.bytes is a little
    # above it. The poison fits on its topic, but its copy with the dlq.* headers does not.
    limit = 1_048_576
    key = b"case-too-large"
    topic = topic_for("intake", settings.topic_namespace)
    # The record travels signed (as its relay would send it); a signature's size does not
    # depend on the value, so measure it once.
    signer = owner_signer(topic)
    signed: list[tuple[str, bytes | None]] = list(signer.headers(b"x")) if signer else []
    base = DefaultRecordBatchBuilder.estimate_size_in_bytes(key, b"", signed)
    poison = b"x" * (limit - base - 8)  # -8: the value's length prefix grows to 3 bytes
    copy_headers: list[tuple[str, bytes | None]] = [
        *signed,
        ("dlq.consumer", b"indicators"),
        ("dlq.error", b"MalformedEvent: invalid envelope"),
    ]
    assert DefaultRecordBatchBuilder.estimate_size_in_bytes(key, poison, signed) <= limit
    assert DefaultRecordBatchBuilder.estimate_size_in_bytes(key, poison, copy_headers) > limit

    fiscal_year = 2047
    first, second = consultation_event(fiscal_year), consultation_event(fiscal_year)
    landed = await produce_together(
        settings.kafka_bootstrap,
        topic,
        [(key, first.to_bytes(), []), (key, poison, []), (key, second.to_bytes(), [])],
    )
    city = auth("city-chiiki-fukushi", "city_official")
    # The partition does not stall behind the large record.
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 2) == 2

    (letter,) = await eventually(lambda: _letters(settings, key), lambda found: len(found) == 1)
    headers = dict(letter.headers)
    assert headers["dlq.reference"] == b"true"
    assert headers["dlq.error"].startswith(b"MalformedEvent")
    assert headers["dlq.source_topic"].decode() == topic
    assert int(headers["dlq.partition"]) == landed[1].partition
    assert int(headers["dlq.offset"]) == landed[1].offset
    assert int(headers["dlq.size"]) == len(poison)
    reference = json.loads(letter.value)
    assert reference["source_topic"] == topic
    assert (reference["partition"], reference["offset"]) == (landed[1].partition, landed[1].offset)
    assert reference["size"] == len(poison)
    assert reference["error"].startswith("MalformedEvent")
    assert len(letter.value) < 4096

    tp = TopicPartition(topic, landed[2].partition)
    group = f"{settings.topic_namespace}kasane.indicators"
    await eventually(
        lambda: _committed(settings.kafka_bootstrap, group, tp),
        lambda committed: committed >= landed[2].offset + 1,
    )
