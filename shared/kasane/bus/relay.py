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
import os
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


class OutboxRelay:
    def __init__(
        self,
        dsn: str,
        producer: AIOKafkaProducer,
        *,
        signer: EventSigner | None = None,
        poll_interval_s: float = 1.0,
        batch_size: int = 500,
        fault: str = "",
    ) -> None:
        self._dsn = dsn
        self._producer = producer
        self._signer = signer
        self._poll = poll_interval_s
        self._batch = batch_size
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
            while not self._stopping:
                # Clear before reading: a NOTIFY arriving during the read wakes us again.
                self._wake.clear()
                sent = await self.publish_batch(conn)
                if sent < self._batch:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self._poll)
        finally:
            with contextlib.suppress(Exception):
                await conn.close()

    async def publish_batch(self, conn: asyncpg.Connection) -> int:
        rows = await conn.fetch(
            "SELECT id, topic, key, value, headers FROM outbox"
            " WHERE sent_at IS NULL ORDER BY id LIMIT $1",
            self._batch,
        )
        if not rows:
            return 0
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
        results = await asyncio.gather(*futures, return_exceptions=True)
        # Mark only the prefix that succeeded: a later row must not be marked sent while an
        # earlier one is still to be retried.
        done = []
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, BaseException):
                log.error("publishing outbox row %s failed: %s", row["id"], result)
                break
            done.append(row["id"])
        _crash_if(self._fault, CRASH_AFTER_PUBLISH)
        if done:
            await conn.execute("UPDATE outbox SET sent_at = now() WHERE id = ANY($1)", done)
        return len(done)

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
