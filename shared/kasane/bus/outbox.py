"""Writing events into the transactional outbox (docs/architecture/outbox-and-relay.md).

Call :func:`enqueue` inside the transaction that makes the state change: both commit or
neither does. The relay (:mod:`kasane.bus.relay`) publishes afterwards.
"""

from __future__ import annotations

import json

import asyncpg

from kasane.events.envelope import Envelope

NOTIFY_CHANNEL = "kasane_outbox"


async def enqueue(conn: asyncpg.Connection, envelope: Envelope, *, topic: str, key: str) -> None:
    if not conn.is_in_transaction():
        raise RuntimeError("outbox.enqueue must run inside the state change's transaction")
    # Serialise writers of the same key until commit, so ids (the relay's order) follow
    # commit order within a key even when two transactions touch one case concurrently.
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)
    await conn.execute(
        "INSERT INTO outbox (event_id, topic, key, value, headers) VALUES ($1, $2, $3, $4, $5)",
        envelope.event_id,
        topic,
        key,
        envelope.to_bytes(),
        json.dumps([[k, v.decode()] for k, v in envelope.headers()]),
    )
    # Delivered only on commit; wakes the relay without waiting for its poll.
    await conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)
