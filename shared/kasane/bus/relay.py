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
replicas of a service does not double the traffic.
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

log = logging.getLogger(__name__)

_LEADER_LOCK = 7_302_016
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
        conn: asyncpg.Connection = await asyncpg.connect(self._dsn)
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


def _json_list(value: Any) -> list[list[str]]:
    import json

    return json.loads(value) if isinstance(value, str) else list(value)
