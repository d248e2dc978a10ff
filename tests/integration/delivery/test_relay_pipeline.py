"""The pipelined outbox relay on real PostgreSQL (docs/architecture/outbox-and-relay.md).

The relay reads the next rows while earlier ones still wait for the broker's ack. These
tests pin what that must not change: each key's events reach the topic in id order and
once each (the real broker), only an acknowledged prefix in send order is marked sent, a
failed send makes every later row go out again, and a new leader publishes what the old
one left unacknowledged. The broker's acknowledgements are driven by hand (a stand-in
producer) where a test must decide when and how each send ends; the outbox, its marks and
the leader lock are always the real database.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from kasane.bus.outbox import enqueue_many
from kasane.bus.relay import OutboxRelay, leader_pid
from kasane.db.migrate import migrate_service
from kasane.db.urls import database_url
from kasane.events import wrap
from kasane.events.intake import ConsultationReceived
from kasane.events.topics import topic_for
from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.local.postgres import ensure_database
from tests.integration.helpers import admin_kwargs, eventually, read_topic

pytestmark = pytest.mark.integration

JST = timezone(timedelta(hours=9))


@pytest.fixture
async def outbox_dsn(settings: Settings) -> AsyncIterator[str]:
    """A fresh intake database: nothing else relays its outbox."""
    name = f"relay_{uuid.uuid4().hex[:10]}{settings.database_suffix}"
    assert await ensure_database(settings.database_url, name)
    dsn = database_url(settings.database_url, name)
    await migrate_service("intake", dsn)
    yield dsn
    conn = await asyncpg.connect(settings.database_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _envelope() -> Any:
    contract = ConsultationReceived(
        consultation_id=uuid7(),
        agency_id="jiritsu",
        received_at=datetime(2026, 6, 2, 10, 0, tzinfo=JST),
        channel="phone",
        issue_codes=["poverty"],
        age_band="40-49",
        school_district_code="02",
        is_complex=False,
    )
    return wrap(contract, producer="intake", municipality_code="402036", agency_id="jiritsu")


async def _write(dsn: str, topic: str, keys: list[str]) -> None:
    """One committed transaction with one event per key, in the order given."""
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await enqueue_many(conn, [(_envelope(), topic, key) for key in keys])
    finally:
        await conn.close()


async def _outbox(dsn: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        return list(await conn.fetch("SELECT id, key, event_id, sent_at FROM outbox ORDER BY id"))
    finally:
        await conn.close()


async def _marked(dsn: str) -> list[int]:
    return [r["id"] for r in await _outbox(dsn) if r["sent_at"] is not None]


class HandAcked:
    """Stands in for the producer: records each send and hands back a future that the test
    settles, so it decides when, in which order and how each send ends."""

    def __init__(self, auto_ack: bool = False) -> None:
        self.sent: list[tuple[bytes, asyncio.Future[None]]] = []
        self.auto_ack = auto_ack
        self.changed = asyncio.Event()

    async def send(self, topic: str, *, value: bytes, key: bytes, headers: Any) -> Any:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.auto_ack:
            future.set_result(None)
        self.sent.append((value, future))
        self.changed.set()
        return future

    def values(self) -> list[bytes]:
        return [value for value, _ in self.sent]

    async def wait_sent(self, count: int) -> None:
        await eventually(lambda: _value(len(self.sent)), lambda n: n >= count, 10)


async def _value(x: Any) -> Any:
    return x


def _relay(dsn: str, producer: Any, **options: Any) -> OutboxRelay:
    return OutboxRelay(dsn, cast(AIOKafkaProducer, producer), poll_interval_s=0.1, **options)


@contextlib.asynccontextmanager
async def _running(relay: OutboxRelay) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(relay.run())
    try:
        yield task
    finally:
        relay.stop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _ids_by_value(dsn: str) -> dict[bytes, int]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT id, value FROM outbox")
    finally:
        await conn.close()
    return {bytes(r["value"]): r["id"] for r in rows}


async def test_pipelined_relay_keeps_each_keys_order_and_sends_each_row_once(
    outbox_dsn: str, settings: Settings
) -> None:
    topic = topic_for("intake", settings.topic_namespace)
    run = uuid.uuid4().hex[:8]
    keys = [f"pipe-{run}-{k}" for k in range(6)]
    # A backlog before the relay starts (it reads it in many small batches back to back,
    # each before the previous one is acknowledged), then writers racing the relay.
    for i in range(40):
        await _write(outbox_dsn, topic, [keys[i % 6], keys[(i + 1) % 6]])
    producer = AIOKafkaProducer(**admin_kwargs(settings.kafka_bootstrap), acks="all",
                                enable_idempotence=True, linger_ms=5)  # fmt: skip
    await producer.start()
    in_flight_peak = 0
    pending: set[asyncio.Future[Any]] = set()
    send = producer.send

    async def counting_send(*args: Any, **kwargs: Any) -> Any:
        nonlocal in_flight_peak
        future = await send(*args, **kwargs)
        pending.add(future)
        future.add_done_callback(pending.discard)
        in_flight_peak = max(in_flight_peak, len(pending))
        return future

    producer.send = counting_send  # type: ignore[method-assign]
    relay = OutboxRelay(outbox_dsn, producer, poll_interval_s=0.1, batch_size=7,
                        min_read_interval_s=0.002)  # fmt: skip
    try:
        async with _running(relay):

            async def writer(w: int) -> None:
                for i in range(15):
                    await _write(outbox_dsn, topic, [keys[(w + i) % 6], keys[(w + 2 * i) % 6]])

            await asyncio.gather(*(writer(w) for w in range(4)))
            rows = await eventually(
                lambda: _outbox(outbox_dsn), lambda rs: all(r["sent_at"] for r in rs)
            )
    finally:
        await producer.stop()
    assert len(rows) == 80 + 120
    # More than one read was waiting for acknowledgements at once: the pipeline was used.
    assert in_flight_peak > 7

    ids = await _ids_by_value(outbox_dsn)
    on_topic: dict[str, list[int]] = defaultdict(list)
    for record in await read_topic(settings.kafka_bootstrap, topic, settle_s=1.0):
        if record.key is not None and record.key.decode() in keys:
            on_topic[record.key.decode()].append(ids[record.value])
    expected: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        expected[row["key"]].append(row["id"])
    # Every row once (nothing handed over is read again while its ack is pending), and
    # each key's rows in id order, which is that key's commit order.
    assert dict(on_topic) == dict(expected)


async def test_only_the_acknowledged_prefix_is_marked_in_send_order(
    outbox_dsn: str, settings: Settings
) -> None:
    topic = topic_for("intake", settings.topic_namespace)
    await _write(outbox_dsn, topic, [f"k{i % 3}" for i in range(12)])
    producer = HandAcked()
    relay = _relay(outbox_dsn, producer, batch_size=4, max_unacked_batches=4)
    async with _running(relay):
        await producer.wait_sent(12)  # three reads handed over, none acknowledged yet
        ids = [r["id"] for r in await _outbox(outbox_dsn)]
        # The later batches are acknowledged first: nothing may be marked before the first.
        for _, future in producer.sent[4:]:
            future.set_result(None)
        await asyncio.sleep(0.5)
        assert await _marked(outbox_dsn) == []
        assert len(producer.sent) == 12  # nothing handed over twice while waiting
        for _, future in producer.sent[:4]:
            future.set_result(None)
        assert await eventually(lambda: _marked(outbox_dsn), lambda m: len(m) == 12) == ids


async def test_a_failed_send_marks_the_prefix_and_sends_every_later_row_again(
    outbox_dsn: str, settings: Settings
) -> None:
    topic = topic_for("intake", settings.topic_namespace)
    await _write(outbox_dsn, topic, [f"k{i % 3}" for i in range(12)])
    values = list((await _ids_by_value(outbox_dsn)).items())
    by_id = {row_id: value for value, row_id in values}
    ids = sorted(by_id)
    producer = HandAcked()
    relay = _relay(outbox_dsn, producer, batch_size=4, max_unacked_batches=4)
    async with _running(relay):
        await producer.wait_sent(12)
        assert producer.values() == [by_id[i] for i in ids]
        # The sixth row (second batch) fails; every other one, before and after, succeeds.
        for n, (_, future) in enumerate(producer.sent):
            if n == 5:
                future.set_exception(KafkaError("broker refused"))
            else:
                future.set_result(None)
        # The prefix before the failure is marked, nothing after it, although acknowledged.
        assert await eventually(lambda: _marked(outbox_dsn), lambda m: len(m) >= 5) == ids[:5]
        # The relay starts again at the failed row, in id order, the later rows included.
        await producer.wait_sent(12 + 7)
        assert producer.values()[12:19] == [by_id[i] for i in ids[5:]]
        assert await _marked(outbox_dsn) == ids[:5]
        for _, future in producer.sent[12:]:
            future.set_result(None)
        assert await eventually(lambda: _marked(outbox_dsn), lambda m: len(m) == 12) == ids


async def test_a_new_leader_publishes_what_the_old_one_left_unacknowledged(
    outbox_dsn: str, settings: Settings
) -> None:
    topic = topic_for("intake", settings.topic_namespace)
    first, second = HandAcked(), HandAcked(auto_ack=True)
    old, new = _relay(outbox_dsn, first), _relay(outbox_dsn, second)
    async with _running(old) as old_task:
        conn = await asyncpg.connect(outbox_dsn)
        try:
            assert await eventually(lambda: leader_pid(conn), lambda p: p is not None)
        finally:
            await conn.close()
        async with _running(new):
            await _write(outbox_dsn, topic, ["k1", "k2", "k1"])
            await first.wait_sent(3)
            await asyncio.sleep(0.3)
            assert second.sent == []  # one leader per database: the standby sends nothing
            old_task.cancel()  # the leader goes away before any acknowledgement
            with contextlib.suppress(asyncio.CancelledError):
                await old_task
            # The standby takes the lock and sends the unmarked rows, in id order.
            await second.wait_sent(3)
            rows = await eventually(
                lambda: _outbox(outbox_dsn), lambda rs: all(r["sent_at"] for r in rs)
            )
            assert second.values() == first.values()
            await _write(outbox_dsn, topic, ["k2"])
            await second.wait_sent(4)
    assert len(rows) == 3
    assert len(first.sent) == 3
