"""Writing events into the transactional outbox (docs/architecture/outbox-and-relay.md).

Call :func:`enqueue` inside the transaction that makes the state change: both commit or
neither does. The relay (:mod:`kasane.bus.relay`) publishes afterwards.
"""

from __future__ import annotations

import json

import asyncpg

from kasane.events.envelope import Envelope

NOTIFY_CHANNEL = "kasane_outbox"


# One round trip (it runs for every event of every request): the per-key lock first (the
# CTE is evaluated before the INSERT draws its id from the sequence), then the row, and a
# NOTIFY that is delivered only on commit and wakes the relay without waiting for its poll.
# Writers of the same key are serialised until commit, so ids (the relay's order) follow
# commit order within a key even when two transactions touch one case concurrently.
_ENQUEUE = """
WITH locked AS (
    SELECT pg_advisory_xact_lock(hashtextextended($3, 0)), pg_notify($6, '')
)
INSERT INTO outbox (event_id, topic, key, value, headers)
SELECT $1, $2, $3, $4, $5 FROM locked
"""


async def enqueue(conn: asyncpg.Connection, envelope: Envelope, *, topic: str, key: str) -> None:
    if not conn.is_in_transaction():
        raise RuntimeError("outbox.enqueue must run inside the state change's transaction")
    await conn.execute(
        _ENQUEUE,
        envelope.event_id,
        topic,
        key,
        envelope.to_bytes(),
        json.dumps([[k, v.decode()] for k, v in envelope.headers()]),
        NOTIFY_CHANNEL,
    )
