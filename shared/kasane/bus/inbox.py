"""Inbox: idempotent handling of events, in one database transaction per event
(:func:`handle_once`) or per batch (:func:`handle_batch`, the live subscriber's path)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import asyncpg

from kasane.events.registry import ParsedEvent

Handler = Callable[[asyncpg.Connection, ParsedEvent], Awaitable[None]]
# handle_once's shape: (pool, consumer, event, delivery, handler) -> ran
InboxStep = Callable[[asyncpg.Pool, str, ParsedEvent, "Delivery", Handler], Awaitable[bool]]
# Work that must commit with a batch's effects (the verified-log checkpoint): run on the
# batch's connection after its handlers, inside its transaction.
BeforeCommit = Callable[[asyncpg.Connection], Awaitable[None]]


class BatchInboxStep(Protocol):
    """handle_batch's shape: (pool, consumer, [(event, delivery), ...], handler) -> ran, per
    item."""

    def __call__(
        self,
        pool: asyncpg.Pool,
        consumer: str,
        batch: Sequence[tuple[ParsedEvent, Delivery]],
        handler: Handler,
        *,
        before_commit: BeforeCommit | None = None,
    ) -> Awaitable[list[bool]]: ...


class HeldWrites(Protocol):
    """A connection stand-in that may hold a handler's writes back until :meth:`flush`
    (indicators' ``BatchedWrites``: a batch's fact rows in one statement)."""

    async def flush(self) -> None: ...


# Wraps the batch's connection for its handlers; flushed before the batch commits.
HoldWrites = Callable[[asyncpg.Connection], HeldWrites]


Headers = tuple[tuple[str, bytes | None], ...]


@dataclass(frozen=True)
class Delivery:
    """One consumed record, as the broker returned it: bytes, never decoded by FastStream."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    # Kafka headers as received; the signature (kasane.bus.signing) travels here.
    headers: Headers = ()


async def handle_once(
    pool: asyncpg.Pool, consumer: str, event: ParsedEvent, delivery: Delivery, handler: Handler
) -> bool:
    """Run ``handler`` unless this consumer already handled the event. True if it ran.

    The inbox row and the handler's effects commit together: a crash before commit
    leaves neither, and a redelivery after commit finds the row and changes nothing.
    """
    async with pool.acquire() as conn, conn.transaction():
        first = await conn.fetchval(
            'INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset")'
            " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING true",
            consumer,
            event.envelope.event_id,
            event.envelope.event_type,
            delivery.topic,
            delivery.partition,
            delivery.offset,
        )
        if not first:
            return False
        await handler(conn, event)
        return True


_INSERT_BATCH = (
    'INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset")'
    " SELECT $1, u.event_id, u.event_type, u.topic, u.partition, u.off"
    " FROM unnest($2::uuid[], $3::text[], $4::text[], $5::integer[], $6::bigint[])"
    " AS u(event_id, event_type, topic, partition, off)"
    " ON CONFLICT DO NOTHING RETURNING event_id"
)


async def handle_batch(
    pool: asyncpg.Pool,
    consumer: str,
    batch: Sequence[tuple[ParsedEvent, Delivery]],
    handler: Handler,
    *,
    hold_writes: HoldWrites | None = None,
    before_commit: BeforeCommit | None = None,
) -> list[bool]:
    """:func:`handle_once` for many events in ONE transaction; ``ran`` per item, in order.

    One multi-row inbox insert finds the events this consumer never handled (``ON CONFLICT
    DO NOTHING`` also drops a second copy inside the same statement); the handler then runs
    for the first copy of each, in batch order, on the same connection. Any error rolls back
    the whole batch (inbox rows and effects alike) and propagates: the caller decides how to
    isolate the record that caused it (:meth:`kasane.bus.consumer.EventConsumer.process_batch`).

    With ``hold_writes`` the handlers get the wrapped connection, and what it held back is
    flushed inside the same transaction after the last handler: a write that fails there
    rolls the batch back like a failing handler. ``before_commit`` runs last, on the same
    connection and transaction: what it writes commits with the batch or not at all.
    """
    if not batch:
        return []
    async with pool.acquire() as conn, conn.transaction():
        new = {
            r["event_id"]
            for r in await conn.fetch(
                _INSERT_BATCH,
                consumer,
                [e.envelope.event_id for e, _ in batch],
                [e.envelope.event_type for e, _ in batch],
                [d.topic for _, d in batch],
                [d.partition for _, d in batch],
                [d.offset for _, d in batch],
            )
        }
        held = hold_writes(conn) if hold_writes is not None else None
        target: Any = held if held is not None else conn
        ran: list[bool] = []
        for event, _ in batch:
            first = event.envelope.event_id in new
            new.discard(event.envelope.event_id)  # a later copy in this batch is a duplicate
            if first:
                await handler(target, event)
            ran.append(first)
        if held is not None:
            await held.flush()
        if before_commit is not None:
            await before_commit(conn)
        return ran
