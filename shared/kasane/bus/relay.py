"""Outbox relay: publishes committed outbox rows to Kafka in id order, then marks them sent.

Guarantees (docs/architecture/outbox-and-relay.md), and why they hold:
- nothing is lost: a row is marked sent only after the broker acknowledged it (acks=all);
  a crash before that leaves it unsent and it is published on restart;
- nothing is reordered within a key: rows are read in id order, ids follow commit order
  within a key (see :func:`kasane.bus.outbox.enqueue`), and the idempotent producer keeps
  partition order across its own retries;
- a crash between publish and mark publishes the row again: delivery is at-least-once,
  and consumers deduplicate by ``event_id`` in their inbox.
Each record is signed here, over the exact value bytes sent (:mod:`kasane.bus.signing`):
the relay is the one place every event of the service passes just before the broker, and
Ed25519 signatures are deterministic, so a re-sent row carries the same signature.
Only one relay per database publishes at a time (a session advisory lock), so running two
replicas of a service does not double the traffic (docs/architecture/replicas.md). The
leader's connection names its process (``application_name``: ``kasane-relay pid=<pid>``),
so an operator (and the replica kill test) can see which replica relays, and asks the
server to probe it over TCP: if the leader's host vanishes without closing the socket, the
server ends the session (and frees the lock for a survivor) within about
25 seconds, not after the kernel's two-hour default (``kasane.db.leader``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
from collections import deque
from dataclasses import dataclass
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from kasane.bus.outbox import NOTIFY_CHANNEL
from kasane.bus.signing import EventSigner
from kasane.db.leader import leader_session_settings

log = logging.getLogger(__name__)

_LEADER_LOCK = 7_302_016
APPLICATION_NAME = "kasane-relay"
CRASH_BEFORE_PUBLISH = "crash_before_publish"
CRASH_AFTER_PUBLISH = "crash_after_publish"


def _crash_if(fault: str, point: str) -> None:
    # Test-only fault injection: die like a SIGKILL would, with no cleanup at all.
    if fault == point:
        log.warning("fault injection: %s", point)
        os._exit(70)


@dataclass
class _Sent:
    """One read's rows, handed to the producer, in id order; ``acks`` settles when the
    broker has answered for every one of them (results or exceptions, in the same order)."""

    ids: list[int]
    acks: asyncio.Future[list[Any]]


class OutboxRelay:
    """See the module docstring; the loop itself is described in :meth:`_publish`."""

    def __init__(
        self,
        dsn: str,
        producer: AIOKafkaProducer,
        *,
        signer: EventSigner | None = None,
        poll_interval_s: float = 1.0,
        batch_size: int = 500,
        min_read_interval_s: float = 0.05,
        max_unacked_batches: int = 4,
        fault: str = "",
    ) -> None:
        self._dsn = dsn
        self._producer = producer
        self._signer = signer
        self._poll = poll_interval_s
        self._batch = batch_size
        self._min_interval = min_read_interval_s
        self._max_unacked = max_unacked_batches
        self._fault = fault
        self._wake = asyncio.Event()
        self._stopping = False

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Publish until cancelled; reconnects after database errors."""
        while not self._stopping:
            try:
                await self._run_as_leader()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox relay failed; retrying")
                await asyncio.sleep(self._poll)

    async def _run_as_leader(self) -> None:
        conn: asyncpg.Connection = await asyncpg.connect(
            self._dsn,
            server_settings=leader_session_settings(APPLICATION_NAME),
        )
        try:
            # Another replica may be leader; take over when it goes away.
            while True:
                if await conn.fetchval("SELECT pg_try_advisory_lock($1)", _LEADER_LOCK):
                    break
                await asyncio.sleep(self._poll)
            await conn.add_listener(NOTIFY_CHANNEL, self._on_notify)
            await self._publish(conn)
        finally:
            with contextlib.suppress(Exception):
                await conn.close()

    async def _publish(self, conn: asyncpg.Connection) -> None:
        """Read, send and mark, with the marking off the critical path.

        Rows handed to the producer and not yet marked are left out of every read
        (``id <> ALL``), so a read never waits for an earlier one to be marked: after each
        read has been sent, the acknowledged batches are marked, oldest first.

        How often it reads decides the cost of the whole path: the broker, the consumers'
        fetches and transactions, and this loop's statements all cost per produce request
        far more than per row (bench/README.md). So a read that was not full waits for its
        acknowledgements before the next read (under load each read then carries everything
        committed during the broker's round trip), and reads are at least
        ``min_read_interval_s`` apart. A NOTIFY after a quiet spell is read at once: a lone
        event is not delayed. Only a backlog (full reads) is read ahead, with at most
        ``max_unacked_batches`` reads awaiting acknowledgements.
        """
        loop = asyncio.get_running_loop()
        unacked: deque[_Sent] = deque()
        last_read = -math.inf
        read_due = True  # at start, a backlog may be waiting
        backlog = False  # the last read was full

        def may_read() -> bool:
            awaiting = sum(1 for b in unacked if not b.acks.done())
            return len(unacked) < self._max_unacked and (awaiting == 0 or backlog)

        wake = loop.create_task(self._wake.wait())
        try:
            while not self._stopping:
                if read_due and may_read():
                    await asyncio.sleep(max(0.0, last_read + self._min_interval - loop.time()))
                    # Cleared before reading: a NOTIFY arriving during the read wakes us.
                    self._wake.clear()
                    last_read = loop.time()
                    sent = await self._read_and_send(conn, [i for b in unacked for i in b.ids])
                    if sent is not None:
                        unacked.append(sent)
                    backlog = read_due = sent is not None and len(sent.ids) == self._batch
                if not await self._mark_acknowledged(conn, unacked):
                    backlog = read_due = False  # a send failed: wait for a NOTIFY or the poll
                if not (read_due and may_read()):
                    wake, read_due = await self._wait(wake, unacked, read_due)
        finally:
            wake.cancel()

    async def _wait(
        self, wake: asyncio.Task[Any], unacked: deque[_Sent], read_due: bool
    ) -> tuple[asyncio.Task[Any], bool]:
        """Wait for a NOTIFY (unless a read is already due), for the oldest batch's
        acknowledgements (to mark it, and to read again), or for the poll; returns the
        NOTIFY waiter to use next and whether a read is due."""
        waiters: set[asyncio.Future[Any]] = set()
        if not read_due:
            if wake.done():
                wake = asyncio.get_running_loop().create_task(self._wake.wait())
            waiters.add(wake)
        if unacked:
            waiters.add(unacked[0].acks)
        done, _ = await asyncio.wait(
            waiters, timeout=self._poll, return_when=asyncio.FIRST_COMPLETED
        )
        return wake, read_due or not done or wake in done

    async def _read_and_send(self, conn: asyncpg.Connection, unmarked: list[int]) -> _Sent | None:
        """Hand the next unsent rows (in id order, skipping ``unmarked``: those already
        handed over) to the producer; None if there are none."""
        rows = await conn.fetch(
            "SELECT id, topic, key, value, headers FROM outbox"
            " WHERE sent_at IS NULL AND id <> ALL($2::bigint[]) ORDER BY id LIMIT $1",
            self._batch,
            unmarked,
        )
        if not rows:
            return None
        _crash_if(self._fault, CRASH_BEFORE_PUBLISH)
        futures = []
        for row in rows:
            value = bytes(row["value"])
            headers = [(k, v.encode()) for k, v in _json_list(row["headers"])]
            if self._signer is not None:
                headers.extend(self._signer.headers(value))
            futures.append(
                await self._producer.send(
                    row["topic"],
                    value=value,
                    key=row["key"].encode(),
                    headers=headers,
                )
            )
        acks = asyncio.gather(*futures, return_exceptions=True)
        return _Sent([row["id"] for row in rows], acks)

    async def _mark_acknowledged(self, conn: asyncpg.Connection, unacked: deque[_Sent]) -> bool:
        """Mark sent the acknowledged prefix of the oldest batches; False if a send failed.

        Only a prefix in send order: a later row must not be marked sent while an earlier
        one is still to be retried. After a failure every batch still unacknowledged is
        awaited and forgotten, so the next read starts again at the first unsent row (the
        later rows are sent again: at-least-once, the consumers' inbox drops the copies).
        """
        done: list[int] = []
        failed = False
        while unacked and unacked[0].acks.done() and not failed:
            batch = unacked.popleft()
            for row_id, result in zip(batch.ids, batch.acks.result(), strict=True):
                if isinstance(result, BaseException):
                    log.error("publishing outbox row %s failed: %s", row_id, result)
                    failed = True
                    break
                done.append(row_id)
        if failed:
            while unacked:
                await unacked.popleft().acks
        if done:
            _crash_if(self._fault, CRASH_AFTER_PUBLISH)
            await conn.execute("UPDATE outbox SET sent_at = now() WHERE id = ANY($1)", done)
        return not failed

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()


async def leader_pid(conn: asyncpg.Connection) -> int | None:
    """The process id of the replica whose relay leads for ``conn``'s database, or None.

    From the server's lock table: a one-key advisory lock is (classid 0, objid key,
    objsubid 1); its session's ``application_name`` names the process."""
    name = await conn.fetchval(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0"
        " AND l.objid = $1::bigint::oid AND l.objsubid = 1"
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        _LEADER_LOCK,
    )
    prefix = f"{APPLICATION_NAME} pid="
    if not isinstance(name, str) or not name.startswith(prefix):
        return None
    return int(name.removeprefix(prefix))


def _json_list(value: Any) -> list[list[str]]:
    import json

    return json.loads(value) if isinstance(value, str) else list(value)
