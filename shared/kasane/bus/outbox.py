"""Writing events into the transactional outbox (docs/architecture/outbox-and-relay.md).

Call :func:`enqueue` inside the transaction that makes the state change: both commit or
neither does. The relay (:mod:`kasane.bus.relay`) publishes afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import asyncpg

from kasane.db.statement import Write
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


# Several events of one transaction in one round trip, the same guarantees: every key's
# lock is taken (in key order, so two writers of the same keys cannot deadlock) before any
# row draws its id — the Sort on ``ord`` consumes the whole join, and with it the lock CTE,
# before the first row is inserted — and the rows take their ids in the order given.
_ENQUEUE_MANY = """
WITH locked AS MATERIALIZED (
    SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) AS n
    FROM (SELECT DISTINCT k FROM unnest($3::text[]) AS k ORDER BY k) AS keys
), notified AS MATERIALIZED (
    SELECT pg_notify($6, '')
)
INSERT INTO outbox (event_id, topic, key, value, headers)
SELECT e.event_id, e.topic, e.key, e.value, e.headers::jsonb
FROM locked, notified,
     unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::text[])
         WITH ORDINALITY AS e(event_id, topic, key, value, headers, ord)
ORDER BY e.ord
"""


def _headers(envelope: Envelope) -> str:
    return json.dumps([[k, v.decode()] for k, v in envelope.headers()])


def _ensure_in_transaction(conn: asyncpg.Connection) -> None:
    if not conn.is_in_transaction():
        raise RuntimeError("outbox.enqueue must run inside the state change's transaction")


async def enqueue(conn: asyncpg.Connection, envelope: Envelope, *, topic: str, key: str) -> None:
    _ensure_in_transaction(conn)
    await conn.execute(
        _ENQUEUE,
        envelope.event_id,
        topic,
        key,
        envelope.to_bytes(),
        _headers(envelope),
        NOTIFY_CHANNEL,
    )


async def enqueue_many(
    conn: asyncpg.Connection, items: Sequence[tuple[Envelope, str, str]]
) -> None:
    """:func:`enqueue` for ``(envelope, topic, key)`` items, in that order, in one statement."""
    _ensure_in_transaction(conn)
    if len(items) == 1:
        envelope, topic, key = items[0]
        await enqueue(conn, envelope, topic=topic, key=key)
        return
    if not items:
        return
    write = enqueue_write(items)
    await conn.execute(write.sql, *write.args)


def enqueue_write(items: Sequence[tuple[Envelope, str, str]]) -> Write:
    """:func:`enqueue_many`'s statement as a part of one that also makes the state change
    (``kasane.db.statement.write_all``): the events and the change are one statement, so
    they commit together even outside a transaction. The same order and per-key locks: the
    locks are taken inside this part before its rows draw their ids."""
    return Write(
        _ENQUEUE_MANY,
        (
            [e.event_id for e, _, _ in items],
            [t for _, t, _ in items],
            [k for _, _, k in items],
            [e.to_bytes() for e, _, _ in items],
            [_headers(e) for e, _, _ in items],
            NOTIFY_CHANNEL,
        ),
    )
