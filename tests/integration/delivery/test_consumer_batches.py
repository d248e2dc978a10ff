"""Batched consumption on the real broker and database: one inbox transaction per batch,
with the effect of handling each record once, in order (``EventConsumer.process_batch``).

Each case produces its records in ONE producer batch on one partition, so the running
indicators subscriber fetches them as one batch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg
import pytest
from aiokafka import TopicPartition
from aiokafka.structs import ConsumerRecord

from kasane.events.topics import dlq_topic_for, topic_for
from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.delivery.poison import produce_together
from tests.integration.delivery.test_consumer_poison import _committed
from tests.integration.fixtures_data import consultation_event, counted
from tests.integration.helpers import eventually, read_topic

pytestmark = pytest.mark.integration


async def _letters(settings: Settings, key: bytes) -> list[ConsumerRecord[Any, Any]]:
    dlq = dlq_topic_for("indicators", settings.topic_namespace)
    records = await read_topic(settings.kafka_bootstrap, dlq, settle_s=0.5)
    return [r for r in records if r.key == key]


async def _inbox_rows(dsn: str, event_ids: list[Any]) -> dict[Any, int]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT event_id, count(*) AS n FROM inbox"
            " WHERE consumer = 'indicators' AND event_id = ANY($1::uuid[]) GROUP BY event_id",
            event_ids,
        )
    finally:
        await conn.close()
    return {r["event_id"]: int(r["n"]) for r in rows}


async def test_duplicates_inside_one_batch_and_across_batches_count_once(
    indicators: RunningService, auth: Callable[..., dict[str, str]], settings: Settings
) -> None:
    topic = topic_for("intake", settings.topic_namespace)
    key = b"case-batch-duplicates"
    fiscal_year = 2051
    a, b, c = (consultation_event(fiscal_year) for _ in range(3))
    # One batch: a, a, b, a, b -> two distinct events.
    first = [(key, e.to_bytes(), []) for e in (a, a, b, a, b)]
    landed = await produce_together(settings.kafka_bootstrap, topic, first)
    assert len({m.partition for m in landed}) == 1
    city = auth("city-chiiki-fukushi", "city_official")
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 2) == 2
    # A later batch repeats both and brings c: only c is new.
    await produce_together(
        settings.kafka_bootstrap, topic, [(key, e.to_bytes(), []) for e in (b, c, a, c)]
    )
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 3) == 3
    rows = await _inbox_rows(indicators.dsn, [a.event_id, b.event_id, c.event_id])
    assert rows == {a.event_id: 1, b.event_id: 1, c.event_id: 1}
    # A duplicate is skipped, not a failure: nothing was dead-lettered.
    assert await _letters(settings, key) == []


async def test_handler_failure_mid_batch_dead_letters_that_record_alone(
    indicators: RunningService, auth: Callable[..., dict[str, str]], settings: Settings
) -> None:
    """A record that parses and verifies but whose handler fails (a second event for a
    consultation already counted: consultation_facts.consultation_id is unique) sits in
    the middle of a batch. The batch transaction rolls back; the records are then handled
    one by one: the poison goes to the DLQ alone, the others are applied once."""
    topic = topic_for("intake", settings.topic_namespace)
    key = b"case-batch-poison"
    fiscal_year = 2052
    before = [consultation_event(fiscal_year) for _ in range(2)]
    after = [consultation_event(fiscal_year) for _ in range(2)]
    original = before[0]
    clash = original.model_copy(update={"event_id": uuid7()})  # same consultation_id
    assert clash.event_id != original.event_id
    items = [(key, e.to_bytes(), []) for e in (*before, clash, *after)]
    landed = await produce_together(settings.kafka_bootstrap, topic, items)
    assert len({m.partition for m in landed}) == 1

    city = auth("city-chiiki-fukushi", "city_official")
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 4) == 4
    (letter,) = await eventually(lambda: _letters(settings, key), lambda found: len(found) >= 1)
    headers = dict(letter.headers)
    assert letter.value == clash.to_bytes()
    assert int(headers["dlq.offset"]) == landed[2].offset
    assert headers["dlq.error"].startswith(b"UniqueViolationError")
    applied = [e.event_id for e in (*before, *after)]
    rows = await _inbox_rows(indicators.dsn, [*applied, clash.event_id])
    assert rows == dict.fromkeys(applied, 1)  # the poison left no inbox row
    # Offsets are committed past the whole batch.
    tp = TopicPartition(topic, landed[-1].partition)
    group = f"{settings.topic_namespace}kasane.indicators"
    await eventually(
        lambda: _committed(settings.kafka_bootstrap, group, tp),
        lambda committed: committed >= landed[-1].offset + 1,
    )
