"""outbox.enqueue on real PostgreSQL: only inside a transaction, committed with it."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import asyncpg
import pytest

from kasane.bus.outbox import NOTIFY_CHANNEL, enqueue, enqueue_many
from kasane.events import wrap
from kasane.events.envelope import Envelope
from kasane.events.intake import ConsultationReceived
from kasane.ids import uuid7

pytestmark = pytest.mark.integration

JST = timezone(timedelta(hours=9))
TOPIC = "kasane.intake.v1"


def _contract() -> ConsultationReceived:
    return ConsultationReceived(
        consultation_id=uuid7(),
        agency_id="jiritsu",
        received_at=datetime(2026, 6, 2, 10, 0, tzinfo=JST),
        channel="phone",
        issue_codes=["poverty"],
        age_band="40-49",
        school_district_code="02",
        is_complex=False,
    )


def _envelope() -> Envelope:
    return wrap(
        _contract(),
        producer="intake",
        municipality_code="402036",
        agency_id="jiritsu",
    )


async def _rows(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    async with pool.acquire() as conn:
        return list(await conn.fetch("SELECT * FROM outbox ORDER BY id"))


async def test_enqueue_outside_a_transaction_is_refused(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        with pytest.raises(RuntimeError, match="transaction"):
            await enqueue(conn, _envelope(), topic=TOPIC, key="case-1")
    assert await _rows(pool) == []


async def test_enqueued_row_appears_only_after_commit(pool: asyncpg.Pool) -> None:
    envelope = _envelope()
    async with pool.acquire() as writer:
        tx = writer.transaction()
        await tx.start()
        try:
            await enqueue(writer, envelope, topic=TOPIC, key="case-1")
            # Visible to its own transaction, invisible to everyone else until commit.
            assert await writer.fetchval("SELECT count(*) FROM outbox") == 1
            assert await _rows(pool) == []
        except BaseException:
            await tx.rollback()
            raise
        await tx.commit()

    (row,) = await _rows(pool)
    assert row["event_id"] == envelope.event_id
    assert row["topic"] == TOPIC
    assert row["key"] == "case-1"
    assert row["sent_at"] is None
    assert Envelope.from_bytes(bytes(row["value"])) == envelope
    headers = json.loads(row["headers"])
    assert [[k, v.encode()] for k, v in headers] == [[k, v] for k, v in envelope.headers()]


async def test_rollback_leaves_no_row(pool: asyncpg.Pool) -> None:
    class Abort(Exception):
        pass

    with pytest.raises(Abort):
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, _envelope(), topic=TOPIC, key="case-1")
            raise Abort
    assert await _rows(pool) == []


async def test_outbox_keeps_commit_order(pool: asyncpg.Pool) -> None:
    envelopes = [_envelope() for _ in range(5)]
    for envelope in envelopes:
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, envelope, topic=TOPIC, key="case-1")
    assert [r["event_id"] for r in await _rows(pool)] == [e.event_id for e in envelopes]


async def test_same_event_cannot_be_enqueued_twice(pool: asyncpg.Pool) -> None:
    envelope = _envelope()
    async with pool.acquire() as conn, conn.transaction():
        await enqueue(conn, envelope, topic=TOPIC, key="case-1")
    with pytest.raises(asyncpg.UniqueViolationError):
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, envelope, topic=TOPIC, key="case-1")
    assert len(await _rows(pool)) == 1


async def test_a_second_writer_of_the_same_key_waits_for_the_first_commit(
    pool: asyncpg.Pool,
) -> None:
    first, second = _envelope(), _envelope()
    async with pool.acquire() as a, pool.acquire() as b:
        tx_a = a.transaction()
        await tx_a.start()
        await enqueue(a, first, topic=TOPIC, key="case-9")
        tx_b = b.transaction()
        await tx_b.start()
        waiting = asyncio.create_task(enqueue(b, second, topic=TOPIC, key="case-9"))
        await asyncio.sleep(0.5)
        assert not waiting.done()  # the key's lock is held until the first commit
        await tx_a.commit()
        await asyncio.wait_for(waiting, 10)
        await tx_b.commit()
    assert [r["event_id"] for r in await _rows(pool)] == [first.event_id, second.event_id]


async def test_enqueue_wakes_a_listener_on_commit_only(pool: asyncpg.Pool) -> None:
    woken: list[str] = []

    def heard(*args: object) -> None:
        woken.append(str(args[2]))  # (connection, pid, channel, payload)

    async with pool.acquire() as listener:
        await listener.add_listener(NOTIFY_CHANNEL, heard)
        try:
            async with pool.acquire() as conn:
                tx = conn.transaction()
                await tx.start()
                await enqueue(conn, _envelope(), topic=TOPIC, key="case-8")
                await asyncio.sleep(0.3)
                assert woken == []  # NOTIFY is delivered at commit
                await tx.commit()
            for _ in range(50):
                if woken:
                    break
                await asyncio.sleep(0.1)
            assert woken == [NOTIFY_CHANNEL]
        finally:
            await listener.remove_listener(NOTIFY_CHANNEL, heard)


async def test_enqueue_many_writes_every_row_in_the_given_order(pool: asyncpg.Pool) -> None:
    items = [(_envelope(), TOPIC, key) for key in ("case-2", "case-1", "case-2")]
    with pytest.raises(RuntimeError, match="transaction"):
        async with pool.acquire() as conn:
            await enqueue_many(conn, items)
    async with pool.acquire() as conn, conn.transaction():
        await enqueue_many(conn, items)
    rows = await _rows(pool)
    assert [(r["event_id"], r["topic"], r["key"]) for r in rows] == [
        (e.event_id, t, k) for e, t, k in items
    ]
    for row, (envelope, _, _) in zip(rows, items, strict=True):
        assert Envelope.from_bytes(bytes(row["value"])) == envelope
        headers = json.loads(row["headers"])
        assert [[k, v.encode()] for k, v in headers] == [[k, v] for k, v in envelope.headers()]


async def test_enqueue_many_waits_for_every_key_it_writes(pool: asyncpg.Pool) -> None:
    first = _envelope()
    later = [(_envelope(), TOPIC, "case-6"), (_envelope(), TOPIC, "case-7")]
    async with pool.acquire() as a, pool.acquire() as b:
        tx_a = a.transaction()
        await tx_a.start()
        await enqueue(a, first, topic=TOPIC, key="case-7")
        tx_b = b.transaction()
        await tx_b.start()
        waiting = asyncio.create_task(enqueue_many(b, later))
        await asyncio.sleep(0.5)
        assert not waiting.done()  # case-7 is held by the first writer until its commit
        await tx_a.commit()
        await asyncio.wait_for(waiting, 10)
        await tx_b.commit()
    # No id was drawn before the lock: the later writer's rows come after the first's.
    assert [r["event_id"] for r in await _rows(pool)] == [
        first.event_id,
        *(e.event_id for e, _, _ in later),
    ]
