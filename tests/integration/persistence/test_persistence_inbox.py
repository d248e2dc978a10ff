"""inbox.handle_once and inbox.handle_batch on real PostgreSQL: once per (consumer, event),
all or nothing."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import ClassVar

import asyncpg
import pytest

from kasane.bus.inbox import Delivery, handle_batch, handle_once
from kasane.events import EventRegistry, wrap
from kasane.events.intake import CONTRACTS, ConsultationReceived
from kasane.events.registry import ParsedEvent
from kasane.ids import uuid7

pytestmark = pytest.mark.integration

JST = timezone(timedelta(hours=9))


def _event() -> tuple[ParsedEvent, Delivery]:
    envelope = wrap(
        ConsultationReceived(
            consultation_id=uuid7(),
            agency_id="jiritsu",
            received_at=datetime(2026, 6, 2, 10, 0, tzinfo=JST),
            channel="phone",
            issue_codes=["poverty"],
            age_band="40-49",
            school_district_code="02",
            is_complex=False,
        ),
        producer="intake",
        municipality_code="402036",
        agency_id="jiritsu",
    )
    raw = envelope.to_bytes()
    delivery = Delivery(topic="kasane.intake.v1", partition=0, offset=41, key=b"k", value=raw)
    return EventRegistry(CONTRACTS).parse(raw), delivery


@pytest.fixture
async def effects(pool: asyncpg.Pool) -> asyncpg.Pool:
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE test_effects (event_id uuid NOT NULL, note text)")
    return pool


class Recorder:
    def __init__(self, fail: bool = False) -> None:
        self.runs = 0
        self.fail = fail

    async def __call__(self, conn: asyncpg.Connection, event: ParsedEvent) -> None:
        self.runs += 1
        assert conn.is_in_transaction()
        await conn.execute(
            "INSERT INTO test_effects (event_id, note) VALUES ($1, 'effect')",
            event.envelope.event_id,
        )
        if self.fail:
            raise ValueError("handler failed after writing its effect")


async def _count(pool: asyncpg.Pool, sql: str) -> int:
    async with pool.acquire() as conn:
        return int(await conn.fetchval(sql))


async def test_same_event_twice_runs_the_handler_once(effects: asyncpg.Pool) -> None:
    event, delivery = _event()
    handler = Recorder()
    assert await handle_once(effects, "indicators", event, delivery, handler) is True
    assert await handle_once(effects, "indicators", event, delivery, handler) is False
    assert handler.runs == 1
    assert await _count(effects, "SELECT count(*) FROM test_effects") == 1
    async with effects.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM inbox")
    assert row["consumer"] == "indicators"
    assert row["event_id"] == event.envelope.event_id
    assert row["event_type"] == event.envelope.event_type
    assert (row["topic"], row["partition"], row["offset"]) == (
        delivery.topic,
        delivery.partition,
        delivery.offset,
    )


async def test_each_consumer_handles_an_event_once(effects: asyncpg.Pool) -> None:
    event, delivery = _event()
    handler = Recorder()
    assert await handle_once(effects, "indicators", event, delivery, handler)
    assert await handle_once(effects, "meetings", event, delivery, handler)
    assert not await handle_once(effects, "meetings", event, delivery, handler)
    assert handler.runs == 2


async def test_failing_handler_leaves_neither_inbox_row_nor_effect(
    effects: asyncpg.Pool,
) -> None:
    event, delivery = _event()
    with pytest.raises(ValueError, match="handler failed"):
        await handle_once(effects, "indicators", event, delivery, Recorder(fail=True))
    assert await _count(effects, "SELECT count(*) FROM inbox") == 0
    assert await _count(effects, "SELECT count(*) FROM test_effects") == 0

    # A later retry is therefore not mistaken for a duplicate.
    handler = Recorder()
    assert await handle_once(effects, "indicators", event, delivery, handler) is True
    assert handler.runs == 1
    assert await _count(effects, "SELECT count(*) FROM inbox") == 1
    assert await _count(effects, "SELECT count(*) FROM test_effects") == 1


async def test_concurrent_redeliveries_run_the_handler_once(effects: asyncpg.Pool) -> None:
    event, delivery = _event()
    handler = Recorder()
    results = await asyncio.gather(
        *(handle_once(effects, "indicators", event, delivery, handler) for _ in range(5))
    )
    assert sorted(results) == [False] * 4 + [True]
    assert handler.runs == 1
    assert await _count(effects, "SELECT count(*) FROM test_effects") == 1


async def test_batch_runs_the_handler_once_per_event_in_order(effects: asyncpg.Pool) -> None:
    (a, da), (b, db), (c, dc) = _event(), _event(), _event()
    seen: list[object] = []

    async def handler(conn: asyncpg.Connection, event: ParsedEvent) -> None:
        seen.append(event.envelope.event_id)
        await Recorder()(conn, event)

    # a was handled before (an earlier batch); a and b come again inside this batch.
    assert await handle_once(effects, "indicators", a, da, Recorder())
    batch = [(b, db), (a, da), (c, dc), (b, db), (a, da)]
    assert await handle_batch(effects, "indicators", batch, handler) == [
        True,
        False,
        True,
        False,
        False,
    ]
    assert seen == [b.envelope.event_id, c.envelope.event_id]
    assert await _count(effects, "SELECT count(*) FROM inbox") == 3
    assert await _count(effects, "SELECT count(*) FROM test_effects") == 3


async def test_batch_with_a_failing_handler_leaves_nothing(effects: asyncpg.Pool) -> None:
    (a, da), (b, db) = _event(), _event()
    failing = b.envelope.event_id

    async def handler(conn: asyncpg.Connection, event: ParsedEvent) -> None:
        await Recorder(fail=event.envelope.event_id == failing)(conn, event)

    with pytest.raises(ValueError, match="handler failed"):
        await handle_batch(effects, "indicators", [(a, da), (b, db)], handler)
    # a's inbox row and effect were in the same transaction: rolled back with b's.
    assert await _count(effects, "SELECT count(*) FROM inbox") == 0
    assert await _count(effects, "SELECT count(*) FROM test_effects") == 0


class Holding:
    """A connection stand-in that holds plain INSERTs until flush (the shape of indicators'
    BatchedWrites), and can fail at flush like a bulk write refused by the database."""

    made: ClassVar[list[Holding]] = []

    def __init__(self, conn: asyncpg.Connection, fail_at_flush: bool = False) -> None:
        self.conn, self.fail_at_flush = conn, fail_at_flush
        self.held: list[tuple[str, tuple[object, ...]]] = []
        self.flushed_in_transaction: bool | None = None
        Holding.made.append(self)

    def is_in_transaction(self) -> bool:
        return bool(self.conn.is_in_transaction())

    async def execute(self, query: str, *args: object) -> str:
        self.held.append((query, args))
        return "INSERT 0 1"

    async def flush(self) -> None:
        self.flushed_in_transaction = self.conn.is_in_transaction()
        await self.conn.executemany(self.held[0][0], [args for _, args in self.held])
        if self.fail_at_flush:
            raise ValueError("bulk write refused")


async def test_batch_with_held_writes_flushes_them_inside_its_transaction(
    effects: asyncpg.Pool,
) -> None:
    (a, da), (b, db) = _event(), _event()
    Holding.made.clear()
    handler = Recorder()
    assert await handle_batch(
        effects, "indicators", [(a, da), (b, db)], handler, hold_writes=Holding
    ) == [True, True]
    (held,) = Holding.made
    assert len(held.held) == 2 and held.flushed_in_transaction is True
    assert await _count(effects, "SELECT count(*) FROM test_effects") == 2
    assert await _count(effects, "SELECT count(*) FROM inbox") == 2


async def test_batch_whose_held_writes_fail_at_flush_leaves_nothing(
    effects: asyncpg.Pool,
) -> None:
    (a, da), (b, db) = _event(), _event()

    def failing(conn: asyncpg.Connection) -> Holding:
        return Holding(conn, fail_at_flush=True)

    with pytest.raises(ValueError, match="bulk write refused"):
        await handle_batch(
            effects, "indicators", [(a, da), (b, db)], Recorder(), hold_writes=failing
        )
    assert await _count(effects, "SELECT count(*) FROM inbox") == 0
    assert await _count(effects, "SELECT count(*) FROM test_effects") == 0
