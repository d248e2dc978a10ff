"""``kasane indicators rebuild``: drop the read model and replay every topic from offset 0.

Choice (any read model can be dropped and rebuilt from the topics): the whole rebuild is ONE
PostgreSQL transaction. It locks the inbox and the fact tables against writers, deletes the
inbox rows of consumer ``indicators`` together with every fact row, replays each producer's
topic up to the end offsets captured at the start, and commits. Hence:

- readers see the old figures until the commit and the new ones after it, never a half-built
  model (the effect of shadow tables and a swap, without a second schema);
- a rebuild that fails (broker or database gone) rolls back and leaves the old model intact;
- the live subscriber may keep running: its inbox insert waits for the lock, then finds the
  event already recorded by the replay and changes nothing; events past the captured end
  offsets are the subscriber's, through the same inbox. Its Kafka offsets are left alone.

Each record is judged by ``kasane.bus.reading.read`` (the producer's signature first, so a
forged record cannot get in through a rebuild) and goes through
``kasane.bus.inbox.handle_once`` and the service's ``dispatch`` — the live subscriber's
code — inside a savepoint. Records the live path dead-letters are skipped here too, by the
same rule: whatever ``read`` rejects (any bytes at all: invalid UTF-8, deep nesting, an
unknown type), and ones whose handler fails (deterministic handlers fail the same way every
time). Each skipped record is reported with its topic, partition, offset and reason (never
its content). Figures are computed from facts when read, so the order of
replay (topic by topic) cannot change them. Survey results and targets are the city's own
input, not derived from events: a rebuild keeps them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TextIO, cast

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from indicators.handlers import dispatch
from indicators.store.facts import READ_MODEL_TABLES
from indicators.usecases.progress_bar import ProgressBar
from kasane.bus.credentials import KafkaAccess
from kasane.bus.inbox import Delivery, handle_once
from kasane.bus.reading import Rejected, read
from kasane.bus.signing import EventVerifier
from kasane.events.topics import topic_for
from kasane.settings import SERVICES

log = logging.getLogger(__name__)

Bounds = tuple[list[TopicPartition], dict[TopicPartition, int], dict[TopicPartition, int]]

CONSUMER = "indicators"  # the inbox's consumer name (the service name)
PRODUCERS: tuple[str, ...] = tuple(s for s in SERVICES if s != CONSUMER)

# Infrastructure failures abort the rebuild (and roll it back); anything else is the record.
_ABORT: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.InterfaceError,
)


@dataclass(frozen=True)
class SkippedRecord:
    topic: str
    partition: int
    offset: int
    reason: str  # the live consumer's ``dlq.error`` for the same record

    def __str__(self) -> str:
        return f"{self.topic}[{self.partition}]@{self.offset}: {self.reason}"


@dataclass
class RebuildReport:
    applied: int = 0
    duplicates: int = 0
    per_topic: dict[str, int] = field(default_factory=dict)
    skipped_records: list[SkippedRecord] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.skipped_records)

    def skip(self, delivery: Delivery, reason: str) -> None:
        self.skipped_records.append(
            SkippedRecord(delivery.topic, delivery.partition, delivery.offset, reason)
        )


class _OneConnection:
    """Looks like a pool to ``handle_once`` but lends the rebuild's connection, so each
    record's ``conn.transaction()`` becomes a savepoint of the one rebuild transaction."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[asyncpg.Connection]:
        yield self._conn


async def _clear(conn: asyncpg.Connection) -> None:
    tables = ", ".join(("inbox", *READ_MODEL_TABLES))
    # SHARE ROW EXCLUSIVE conflicts with the subscriber's inserts: none can commit between
    # the deletes below, so no inbox row can survive without its fact row, or the reverse.
    await conn.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
    await conn.execute("DELETE FROM inbox WHERE consumer = $1", CONSUMER)
    for table in READ_MODEL_TABLES:
        await conn.execute(f"DELETE FROM {table}")


async def _apply(
    conn: asyncpg.Connection,
    delivery: Delivery,
    report: RebuildReport,
    verifier: EventVerifier | None,
) -> None:
    event = read(dispatch.registry, delivery, verifier)
    if isinstance(event, Rejected):
        report.skip(delivery, event.error)  # the live path sent it to the dead-letter topic
        return
    try:
        pool = cast(asyncpg.Pool, _OneConnection(conn))
        ran = await handle_once(pool, CONSUMER, event, delivery, dispatch)
    except _ABORT:
        raise
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        log.warning("rebuild: skipped %s: %s", event.envelope.event_id, reason)
        report.skip(delivery, reason)
        return
    if ran:
        report.applied += 1
    else:
        report.duplicates += 1


async def _end_offsets(kafka: KafkaAccess, topics: Sequence[str]) -> dict[str, Bounds]:
    """Each topic's partitions with their first and end offsets, taken once at the start."""
    # Subscribing is what makes a consumer load the topics' metadata (partition lists).
    probe = AIOKafkaConsumer(
        *topics, **kafka.client_kwargs(), group_id=None, enable_auto_commit=False
    )
    await probe.start()
    try:
        found = {}
        for topic in topics:
            partitions = probe.partitions_for_topic(topic) or set()
            tps = [TopicPartition(topic, p) for p in sorted(partitions)]
            begin = await probe.beginning_offsets(tps) if tps else {}
            end = await probe.end_offsets(tps) if tps else {}
            found[topic] = (tps, begin, end)
        return found
    finally:
        await probe.stop()


async def _replay_topic(
    conn: asyncpg.Connection,
    consumer: AIOKafkaConsumer,
    topic: str,
    bounds: Bounds,
    report: RebuildReport,
    stream: TextIO,
    verifier: EventVerifier | None,
) -> None:
    tps, begin, end = bounds
    bar = ProgressBar(topic, sum(end[tp] - begin[tp] for tp in tps), stream)
    bar.update(0)
    remaining = [tp for tp in tps if end[tp] > begin[tp]]
    done = 0
    if remaining:
        consumer.assign(remaining)
        await consumer.seek_to_beginning(*remaining)
    while remaining:
        batch = await consumer.getmany(*remaining, timeout_ms=1000)
        for tp, records in batch.items():
            for record in records:
                if record.offset >= end[tp]:
                    break
                delivery = Delivery(
                    record.topic,
                    record.partition,
                    record.offset,
                    record.key,
                    record.value or b"",
                    tuple(record.headers or ()),
                )
                await _apply(conn, delivery, report, verifier)
                done += 1
                bar.update(done)
        remaining = [tp for tp in remaining if await consumer.position(tp) < end[tp]]
    report.per_topic[topic] = done
    bar.finish()


async def rebuild(
    dsn: str,
    kafka: KafkaAccess,
    verifier: EventVerifier | None,
    namespace: str = "",
    stream: TextIO = sys.stdout,
    producers: Sequence[str] = PRODUCERS,
) -> RebuildReport:
    """Replay as indicators' own principal (it may read exactly the topics it subscribes to),
    verifying each record with ``verifier`` as the live subscriber does."""
    report = RebuildReport()
    topics = [topic_for(p, namespace) for p in producers]
    conn = await asyncpg.connect(dsn)
    consumer = AIOKafkaConsumer(
        **kafka.client_kwargs(),
        group_id=None,  # no group: reads everything, commits nothing, disturbs no one
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        async with conn.transaction():
            run_id = await conn.fetchval("INSERT INTO rebuilds DEFAULT VALUES RETURNING id")
            await _clear(conn)
            bounds = await _end_offsets(kafka, topics)
            for topic in topics:
                await _replay_topic(conn, consumer, topic, bounds[topic], report, stream, verifier)
            await conn.execute(
                "UPDATE rebuilds SET finished_at = now(), applied = $2, duplicates = $3,"
                " skipped = $4 WHERE id = $1",
                run_id,
                report.applied,
                report.duplicates,
                report.skipped,
            )
    finally:
        await consumer.stop()
        await conn.close()
    return report
