"""outbox.enqueue on real PostgreSQL: only inside a transaction, committed with it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import asyncpg
import pytest

from kasane.bus.outbox import enqueue
from kasane.events import wrap
from kasane.events.envelope import Envelope
from kasane.events.intake import ConsultationReceived
from kasane.ids import uuid7

pytestmark = pytest.mark.integration

JST = timezone(timedelta(hours=9))
TOPIC = "kasane.intake.v1"


def _envelope() -> Envelope:
    return wrap(
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
