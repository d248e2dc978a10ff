"""`kasane indicators rebuild` builds a fresh read model aside and swaps it in at once
(indicators/usecases/rebuild.py), on the real broker and database: readers see the old model
while it runs, events arriving meanwhile are not lost, a failed rebuild leaves the old model
and nothing else behind, and a batch with a failing record skips that record alone.

The rebuild runs in this process (``rebuild()`` itself, as the CLI calls it) so a test can
stop it between two batches: ``_Replay.apply`` is wrapped, which only the rebuild uses.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg
import pytest

from indicators.usecases import rebuild as rebuild_module
from indicators.usecases.rebuild import PRODUCERS, RebuildReport, rebuild
from kasane.bus.credentials import kafka_access
from kasane.bus.inbox import Delivery
from kasane.bus.signing import verifier_for
from kasane.events.registry import ParsedEvent
from kasane.events.topics import topic_for
from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.delivery.poison import produce_together
from tests.integration.fixtures_data import consultation_event, counted
from tests.integration.helpers import eventually, produce

pytestmark = pytest.mark.integration

Apply = Callable[[Any, Sequence[tuple[ParsedEvent, Delivery]]], Awaitable[None]]


async def _run(settings: Settings, indicators: RunningService) -> RebuildReport:
    ns = settings.topic_namespace
    return await rebuild(
        indicators.dsn,
        kafka_access(settings, "indicators"),
        verifier_for(settings, {topic_for(p, ns): p for p in PRODUCERS}),
        ns,
        stream=io.StringIO(),
    )


async def _fetchval(dsn: str, sql: str, *args: Any) -> Any:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def _shadow_schemas(dsn: str) -> int:
    return int(
        await _fetchval(dsn, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'")
    )


async def test_readers_see_the_old_model_until_the_swap_and_nothing_arriving_is_lost(
    indicators: RunningService,
    settings: Settings,
    auth: Callable[..., dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fiscal_year = 2053
    topic = topic_for("intake", settings.topic_namespace)
    key = b"case-rebuild-swap"
    events = [consultation_event(fiscal_year) for _ in range(5)]
    # One event twice: the rebuild applies it once, as the inbox does live.
    items = [(key, e.to_bytes(), []) for e in (*events, events[0])]
    await produce_together(settings.kafka_bootstrap, topic, items)
    city = auth("city-chiiki-fukushi", "city_official")
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 5) == 5

    paused, resume = asyncio.Event(), asyncio.Event()
    original: Apply = rebuild_module._Replay.apply

    async def apply_then_pause(self: Any, readable: Sequence[tuple[ParsedEvent, Delivery]]) -> None:
        await original(self, readable)
        if not paused.is_set():
            paused.set()
            await resume.wait()

    monkeypatch.setattr(rebuild_module._Replay, "apply", apply_then_pause)
    running = asyncio.create_task(_run(settings, indicators))
    try:
        await asyncio.wait_for(paused.wait(), timeout=60)
        # Half-way: the new model exists aside, and readers still get the old figures.
        assert await _shadow_schemas(indicators.dsn) == 1
        assert await counted(indicators, city, fiscal_year) == 5
        # An event arrives mid-rebuild; the live subscriber applies it to the old model.
        late = consultation_event(fiscal_year)
        await produce(settings.kafka_bootstrap, topic, [(key, late.to_bytes())])
        assert (
            await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 6) == 6
        )
    finally:
        resume.set()
    report = await asyncio.wait_for(running, timeout=120)

    assert report.duplicates >= 1
    # The swapped-in model has every event once, the late one included; no schema is left.
    assert await counted(indicators, city, fiscal_year) == 6
    ids = [e.event_id for e in (*events, late)]
    rows = await _fetchval(
        indicators.dsn,
        "SELECT count(*) FROM inbox WHERE consumer = 'indicators' AND event_id = ANY($1)",
        ids,
    )
    assert rows == 6
    assert await _shadow_schemas(indicators.dsn) == 0
    # The live subscriber goes on writing into the new tables.
    after = consultation_event(fiscal_year)
    await produce(settings.kafka_bootstrap, topic, [(key, after.to_bytes())])
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 7) == 7


async def test_failed_rebuild_leaves_the_old_model_and_no_half_built_one(
    indicators: RunningService,
    settings: Settings,
    auth: Callable[..., dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fiscal_year = 2054
    topic = topic_for("intake", settings.topic_namespace)
    events = [consultation_event(fiscal_year) for _ in range(3)]
    key = b"case-rebuild-fails"
    await produce(settings.kafka_bootstrap, topic, [(key, e.to_bytes()) for e in events])
    city = auth("city-chiiki-fukushi", "city_official")
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 3) == 3
    facts_before = await _fetchval(indicators.dsn, "SELECT count(*) FROM consultation_facts")
    unfinished_before = await _fetchval(
        indicators.dsn, "SELECT count(*) FROM rebuilds WHERE finished_at IS NULL"
    )

    calls = 0
    original: Apply = rebuild_module._Replay.apply

    async def broken_after_one(self: Any, readable: Sequence[tuple[ParsedEvent, Delivery]]) -> None:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise ConnectionError("database gone")  # infrastructure: the rebuild aborts
        await original(self, readable)

    monkeypatch.setattr(rebuild_module._Replay, "apply", broken_after_one)
    with pytest.raises(ConnectionError):
        await _run(settings, indicators)
    assert calls > 1  # it did fail part-way, after applying a batch

    assert await counted(indicators, city, fiscal_year) == 3
    assert (
        await _fetchval(indicators.dsn, "SELECT count(*) FROM consultation_facts") == facts_before
    )
    assert await _shadow_schemas(indicators.dsn) == 0
    unfinished = await _fetchval(
        indicators.dsn, "SELECT count(*) FROM rebuilds WHERE finished_at IS NULL"
    )
    assert unfinished == unfinished_before + 1  # the failed run is recorded, not finished


async def test_a_record_whose_handler_fails_is_skipped_alone_from_its_batch(
    indicators: RunningService,
    settings: Settings,
    auth: Callable[..., dict[str, str]],
) -> None:
    """A second ConsultationReceived for a counted consultation (consultation_id is unique)
    in the middle of a batch: the live consumer dead-letters it, the rebuild skips it, and
    the records around it are applied by both."""
    fiscal_year = 2055
    topic = topic_for("intake", settings.topic_namespace)
    key = b"case-rebuild-clash"
    events = [consultation_event(fiscal_year) for _ in range(4)]
    clash = events[0].model_copy(update={"event_id": uuid7()})
    items = [(key, e.to_bytes(), []) for e in (*events[:2], clash, *events[2:])]
    landed = await produce_together(settings.kafka_bootstrap, topic, items)
    city = auth("city-chiiki-fukushi", "city_official")
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= 4) == 4

    report = await _run(settings, indicators)

    where = (topic, landed[2].partition, landed[2].offset)
    skipped = [s for s in report.skipped_records if (s.topic, s.partition, s.offset) == where]
    assert len(skipped) == 1
    assert skipped[0].reason.startswith("UniqueViolationError")
    assert await counted(indicators, city, fiscal_year) == 4
