"""``kasane indicators rebuild``: a fresh read model replayed from offset 0, swapped in at once.

1. Under a session advisory lock (one rebuild at a time), the read-model tables and the inbox
   are created empty in a schema of their own, ``rebuild_<run>`` (:mod:`.shadow`), the live
   subscriber's verified-log checkpoints are loaded, and the end offset of every producer's
   partition is captured.
2. Every topic is replayed into that schema (the connection's ``search_path`` puts it first,
   so the handlers' unqualified INSERTs land there): records are fetched in big batches
   (``getmany``); each batch is applied in one transaction, its handlers' INSERTs sent in
   bulk (COPY, :mod:`.batched_writes`) and its inbox rows by one COPY. Readers and the live
   subscriber keep using ``public`` meanwhile.
3. One transaction swaps: it locks the old tables against writers (readers go on), replays
   what arrived since step 1 (so nothing the live subscriber applied meanwhile is lost),
   keeps other consumers' inbox rows, drops the old tables and moves the new ones into
   ``public``. Readers see the old figures until that commit and the new ones after it,
   never a half-built model; a rebuild that fails anywhere drops its schema and leaves the
   old model as it was. The live subscriber's Kafka offsets are left alone; events past
   the swap are its, through the (new) inbox.

Each record is judged by the live rule, ``kasane.bus.reading.read`` (the producer's signature
first, so a forged record cannot get in through a rebuild) — the signature not checked again
where the live subscriber's verified-log checkpoints prove it verified these very bytes, and
the whole rebuild refused (:class:`RebuildRefused`, no swap) where they prove the topic no
longer holds what it verified (:mod:`.verified_replay`) — and applied by the service's
``dispatch``, the live subscriber's handlers, generic over event types. A duplicate (an event
id already applied in this rebuild) is skipped, as the inbox skips it live. Records the live path
dead-letters are skipped here too, by the same rule: whatever ``read`` rejects, and ones
whose handler fails — if a batch fails, it is rolled back and applied again one record at
a time through ``kasane.bus.inbox.handle_once`` (the live per-record path), each record in
its own (sub)transaction, so exactly the failing records are skipped. Each skipped record
is reported with its topic, partition, offset and reason (never its content). Figures are
computed from facts when read, so the order of replay (topic by topic) cannot change them.
Survey results and targets are the city's own input, not derived from events: a rebuild
keeps them. Progress (a bar per topic) goes to stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sys
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO, cast
from uuid import UUID

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from indicators.handlers import dispatch
from indicators.store.facts import READ_MODEL_TABLES
from indicators.usecases import shadow
from indicators.usecases.batched_writes import BatchedWrites
from indicators.usecases.progress_bar import ProgressBar
from indicators.usecases.verified_replay import PartitionLog, RebuildRefused, judge_batch
from kasane.bus.credentials import KafkaAccess
from kasane.bus.inbox import Delivery, handle_once
from kasane.bus.reading import Rejected, read
from kasane.bus.signing import EventVerifier
from kasane.bus.verified_log import load_checkpoints
from kasane.events.registry import ParsedEvent
from kasane.events.topics import topic_for
from kasane.settings import SERVICES

log = logging.getLogger(__name__)

Offsets = dict[TopicPartition, int]

CONSUMER = "indicators"  # the inbox's consumer name (the service name)
PRODUCERS: tuple[str, ...] = tuple(s for s in SERVICES if s != CONSUMER)
# Rebuilt from the topics: the inbox (which events the model holds) and the read model.
TABLES: tuple[str, ...] = ("inbox", *READ_MODEL_TABLES)
_INBOX_COLUMNS = ["consumer", "event_id", "event_type", "topic", "partition", "offset"]
# pg_try_advisory_lock key: one rebuild of this database at a time ("kasane-rebuild").
_REBUILD_LOCK = 0x6B6173616E652D72
# Records fetched per getmany; a batch is one partition's share of it.
_FETCH_RECORDS = 5000
_FETCH_BYTES = 16 * 1024 * 1024

# Infrastructure failures abort the rebuild (and roll it back); anything else is the record.
_ABORT: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.InterfaceError,
)


class RebuildRunning(RuntimeError):
    """Another rebuild of the same database holds the rebuild lock."""


__all__ = ["RebuildRefused", "RebuildReport", "RebuildRunning", "SkippedRecord", "rebuild"]


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
    records: int = 0  # records read from the topics, all outcomes
    # Records whose signature was not checked again: a verified-log checkpoint vouched for them.
    trusted: int = 0
    seconds: float = 0.0  # wall time of the whole rebuild, swap included
    # Wall seconds per step: "prepare" (lock, fresh tables, offsets), "replay", "swap".
    phase_s: dict[str, float] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return len(self.skipped_records)

    def skip(self, delivery: Delivery, reason: str) -> None:
        self.skipped_records.append(
            SkippedRecord(delivery.topic, delivery.partition, delivery.offset, reason)
        )


class _OneConnection:
    """Looks like a pool to ``handle_once`` but lends the rebuild's connection, so each
    record's ``conn.transaction()`` runs on it (a savepoint inside an open transaction)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[asyncpg.Connection]:
        yield self._conn


@dataclass
class _Replay:
    conn: asyncpg.Connection
    verifier: EventVerifier | None
    report: RebuildReport
    seen: set[UUID] = field(default_factory=set)  # event ids applied by this rebuild
    # Per partition, the live subscriber's verified-log checkpoints (none: verify everything).
    logs: dict[tuple[str, int], PartitionLog] = field(default_factory=dict)

    def judge(self, deliveries: Sequence[Delivery]) -> list[tuple[ParsedEvent, Delivery]]:
        """The live consumer's rule for one partition's records: the events, in order; the
        rest skipped. Signatures are checked unless a verified-log checkpoint vouches for the
        bytes (:mod:`.verified_replay`); records may be held back until it does."""
        self.report.records += len(deliveries)
        readable: list[tuple[ParsedEvent, Delivery]] = []
        if not deliveries:
            return readable
        first = deliveries[0]
        log_ = self.logs.get((first.topic, first.partition))
        for delivery, verdict in judge_batch(log_, self.verifier, deliveries):
            # The signature is settled: read() parses without checking it again.
            event = verdict if verdict is not None else read(dispatch.registry, delivery)
            if isinstance(event, Rejected):
                self.report.skip(delivery, event.error)  # the live path dead-lettered it
            else:
                readable.append((event, delivery))
        return readable

    def finish(self) -> None:
        for log_ in self.logs.values():
            log_.finish()
            self.report.trusted += log_.trusted

    async def apply(self, readable: Sequence[tuple[ParsedEvent, Delivery]]) -> None:
        """Apply one batch in one (sub)transaction; if it fails, record by record."""
        if not readable:
            return
        new: set[UUID] = set()
        try:
            async with self.conn.transaction():
                writes = BatchedWrites(self.conn)
                inbox_rows: list[tuple[Any, ...]] = []
                for event, delivery in readable:
                    event_id = event.envelope.event_id
                    if event_id in self.seen or event_id in new:
                        continue
                    new.add(event_id)
                    await dispatch(cast(asyncpg.Connection, writes), event)
                    inbox_rows.append(
                        (
                            CONSUMER,
                            event_id,
                            event.envelope.event_type,
                            delivery.topic,
                            delivery.partition,
                            delivery.offset,
                        )
                    )
                await writes.flush()
                await self.conn.copy_records_to_table(
                    "inbox", records=inbox_rows, columns=_INBOX_COLUMNS
                )
        except _ABORT:
            raise
        except Exception as exc:
            log.warning(
                "rebuild: batch of %d rolled back (%s); applying it record by record",
                len(readable),
                type(exc).__name__,
            )
            for event, delivery in readable:
                await self.one(event, delivery)
            return
        self.seen |= new
        self.report.applied += len(new)
        self.report.duplicates += len(readable) - len(new)

    async def one(self, event: ParsedEvent, delivery: Delivery) -> None:
        """The live per-record path: the inbox row and the effects, or neither."""
        try:
            pool = cast(asyncpg.Pool, _OneConnection(self.conn))
            ran = await handle_once(pool, CONSUMER, event, delivery, dispatch)
        except _ABORT:
            raise
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
            log.warning("rebuild: skipped %s: %s", event.envelope.event_id, reason)
            self.report.skip(delivery, reason)
            return
        self.seen.add(event.envelope.event_id)
        if ran:
            self.report.applied += 1
        else:
            self.report.duplicates += 1


async def _partitions(
    consumer: AIOKafkaConsumer, topics: Sequence[str]
) -> dict[str, list[TopicPartition]]:
    """Each topic's partitions. ``consumer`` was started subscribed to ``topics`` (which
    is what loads their metadata); it is then assigned all of them, paused: each replay
    resumes the ones it reads. Offset requests for assigned partitions find their leaders
    at once; for unassigned ones aiokafka first refreshes metadata (0.5 s each time here)."""
    partitions = {
        topic: [
            TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        for topic in topics
    }
    every = [tp for tps in partitions.values() for tp in tps]
    consumer.unsubscribe()
    consumer.assign(every)
    consumer.pause(*every)
    return partitions


async def _replay(
    replay: _Replay,
    consumer: AIOKafkaConsumer,
    tps: Sequence[TopicPartition],
    start: Offsets,
    end: Offsets,
    bar: ProgressBar | None,
) -> int:
    """Apply the records of ``tps`` from ``start`` up to (not including) ``end``."""
    remaining = [tp for tp in tps if end[tp] > start[tp]]
    done = 0
    if bar is not None:
        bar.update(0)
    if not remaining:
        return 0
    for tp in remaining:
        consumer.seek(tp, start[tp])
    consumer.resume(*remaining)
    # Two batches in flight: while PostgreSQL writes one, this process verifies and parses
    # the next (CPU-bound). Batches are still applied one after the other, in order.
    writing: asyncio.Task[None] | None = None
    try:
        while remaining:
            fetched = await consumer.getmany(
                *remaining, timeout_ms=1000, max_records=_FETCH_RECORDS
            )
            for tp, records in fetched.items():
                batch = [
                    Delivery(
                        r.topic,
                        r.partition,
                        r.offset,
                        r.key,
                        r.value or b"",
                        tuple(r.headers or ()),
                    )
                    for r in records
                    if r.offset < end[tp]
                ]
                readable = replay.judge(batch)
                if writing is not None:
                    await writing
                writing = asyncio.ensure_future(replay.apply(readable))
                done += len(batch)
                if bar is not None:
                    bar.update(done)
            still = [tp for tp in remaining if await consumer.position(tp) < end[tp]]
            consumer.pause(*(tp for tp in remaining if tp not in still))  # no prefetch past end
            remaining = still
        if writing is not None:
            await writing
    finally:
        consumer.pause(*tps)
        if writing is not None and not writing.done():
            writing.cancel()
            with contextlib.suppress(BaseException):
                await writing
    return done


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """The replay allocates millions of short-lived, acyclic objects (records, envelopes,
    rows): reference counting frees them, but each allocation burst triggers the cycle
    collector, whose full passes over everything alive took a quarter to a third of the
    replay's CPU (bench/README.md). Paused for the replay only, restored after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


async def _replay_topics(
    replay: _Replay,
    consumer: AIOKafkaConsumer,
    partitions: dict[str, list[TopicPartition]],
    begin: Offsets,
    end: Offsets,
    stream: TextIO,
) -> None:
    """Every topic from its first records to ``end``, a progress bar each."""
    for topic, tps in partitions.items():
        bar = ProgressBar(topic, sum(end[tp] - begin[tp] for tp in tps), stream)
        replay.report.per_topic[topic] = await _replay(replay, consumer, tps, begin, end, bar)
        bar.finish()
    replay.finish()  # every checkpoint reached and matched, or RebuildRefused


async def _load_logs(
    replay: _Replay,
    conn: asyncpg.Connection,
    verifier: EventVerifier,
    tps: Sequence[TopicPartition],
    begin: Offsets,
) -> None:
    for tp in tps:
        start, checkpoints = await load_checkpoints(conn, CONSUMER, tp.topic, tp.partition)
        # A chain starting below the partition's first record cannot be recomputed (its
        # first records are gone): verify that partition as if there were none.
        if checkpoints and start >= begin[tp]:
            replay.logs[(tp.topic, tp.partition)] = PartitionLog(
                tp.topic, tp.partition, start, deque(checkpoints), verifier
            )


async def rebuild(
    dsn: str,
    kafka: KafkaAccess,
    verifier: EventVerifier | None,
    namespace: str = "",
    stream: TextIO = sys.stderr,
    producers: Sequence[str] = PRODUCERS,
    trust_checkpoints: bool = True,
) -> RebuildReport:
    """Replay as indicators' own principal (it may read exactly the topics it subscribes to),
    judging each record's signature with ``verifier`` as the live subscriber does — by the
    live subscriber's verified-log checkpoints where they vouch for the bytes, unless
    ``trust_checkpoints`` is off (``--verify-all``)."""
    started = time.perf_counter()
    report = RebuildReport()
    topics = [topic_for(p, namespace) for p in producers]
    conn = await asyncpg.connect(dsn)
    consumer = AIOKafkaConsumer(
        *topics,  # subscribed only to load the topics' metadata: see _partitions
        **kafka.client_kwargs(),
        group_id=None,  # no group: reads everything, commits nothing, disturbs no one
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=_FETCH_BYTES,
        fetch_max_bytes=4 * _FETCH_BYTES,
        # A fetch at the end of a partition waits this long for data; the offset requests
        # of the swap queue behind it, so keep it short (the default is 500 ms).
        fetch_max_wait_ms=20,
    )
    await consumer.start()
    schema = ""
    try:
        if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", _REBUILD_LOCK):
            raise RebuildRunning("another rebuild of the indicators read model is running")
        run_id = await conn.fetchval("INSERT INTO rebuilds DEFAULT VALUES RETURNING id")
        await shadow.drop_leftovers(conn)
        schema = shadow.schema_name(run_id)
        await shadow.create(conn, schema, TABLES)
        # The handlers' unqualified table names now mean the new tables.
        await conn.execute(f"SET search_path = {schema}, public")
        replay = _Replay(conn, verifier, report)
        partitions = await _partitions(consumer, topics)
        every = [tp for tps in partitions.values() for tp in tps]
        begin = await consumer.beginning_offsets(every) if every else {}
        if verifier is not None and trust_checkpoints:
            # Before the end offsets: every checkpoint is then below them.
            await _load_logs(replay, conn, verifier, every, begin)
        end = await consumer.end_offsets(every) if every else {}
        report.phase_s["prepare"] = time.perf_counter() - started
        with _without_cycle_collector():
            await _replay_topics(replay, consumer, partitions, begin, end, stream)
        await shadow.analyze(conn, schema, TABLES)
        report.phase_s["replay"] = time.perf_counter() - started - report.phase_s["prepare"]
        async with conn.transaction():
            old = ", ".join(f"public.{t}" for t in TABLES)
            # Writers wait from here to the commit; readers go on reading the old model.
            await conn.execute(f"LOCK TABLE {old} IN SHARE ROW EXCLUSIVE MODE")
            # What arrived since the offsets were captured (the live subscriber may have
            # applied it to the old tables, and its offsets are past it): replay it too.
            # Every partition is paused here: no pending fetch delays the answer.
            now = await consumer.end_offsets(every) if every else {}
            for topic in topics:
                tps = partitions[topic]
                report.per_topic[topic] += await _replay(replay, consumer, tps, end, now, None)
            await conn.execute(
                f"INSERT INTO {schema}.inbox SELECT * FROM public.inbox WHERE consumer <> $1",
                CONSUMER,
            )
            await shadow.swap(conn, schema, TABLES)
            report.seconds = time.perf_counter() - started
            report.phase_s["swap"] = report.seconds - sum(report.phase_s.values())
            await conn.execute(
                "UPDATE public.rebuilds SET finished_at = now(), applied = $2, duplicates = $3,"
                " skipped = $4 WHERE id = $1",
                run_id,
                report.applied,
                report.duplicates,
                report.skipped,
            )
    finally:
        try:
            await consumer.stop()
            if schema and not conn.is_closed():
                await shadow.drop(conn, schema)  # a failed run's half-built model
        finally:
            await conn.close()
    return report
