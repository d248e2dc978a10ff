"""Inbox: idempotent handling of events, one database transaction per event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from kasane.events.registry import ParsedEvent

Handler = Callable[[asyncpg.Connection, ParsedEvent], Awaitable[None]]
# handle_once's shape: (pool, consumer, event, delivery, handler) -> ran
InboxStep = Callable[[asyncpg.Pool, str, ParsedEvent, "Delivery", Handler], Awaitable[bool]]


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
