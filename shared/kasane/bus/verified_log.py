"""Verified-log checkpoints: what a consumer verified, so a replay need not verify it again.

Every record a consumer reads is signature-checked before it is parsed (:mod:`kasane.bus.signing`).
A replay of the same topics (``kasane indicators rebuild``) reads the same records again; an
Ed25519 verification costs about 100 µs of CPU, which capped a replay near 9,000 records/s.

So a consumer that keeps a verified log folds, per partition, every record it judged into a
running SHA-256 (:func:`link`): the previous digest, the record's offset, the signature verdict,
the signature header and the value bytes — everything :func:`kasane.bus.reading.read` looks at.
After each batch it stores ``(chain start, offset, digest)`` in ``verified_checkpoints``, in the
batch's own transaction (:meth:`VerifiedLog.stage`: a checkpoint commits with the effects of
the records it covers or not at all, and costs no transaction of its own). A
replay recomputes the running digest (about 1 µs a record) and compares it at the checkpoint
offsets: equal digests mean the bytes it holds are exactly those the consumer verified, with
the same verdicts (SHA-256 collision resistance), so their signatures need not be checked
again. Records past the last checkpoint, or in a segment whose digest differs, are verified
as before. See docs/architecture/read-model-rebuild.md.

The chain must cover every record of the partition from its start, in order. The consumer
continues its chain only with the next offset it stored (a redelivery of earlier offsets is
already covered); anything else (a first record, a partition moved from another replica that
went further, a gap) reloads the stored state and, if it still does not continue, starts a new
chain at that record and drops the older one: the replay then verifies what lies before it.
The failure mode is always "verify more", never "verify less".

Storage: the newest checkpoint of each block of ``BLOCK`` offsets is kept, so a partition holds
about offsets ÷ ``BLOCK`` rows and a replay holds at most about 2 × ``BLOCK`` records back while
it waits for the next checkpoint.
"""

from __future__ import annotations

import hashlib
import logging
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from kasane.bus.inbox import Delivery
from kasane.bus.signing import SIGNATURE_HEADER

log = logging.getLogger(__name__)

BLOCK = 1000
_ABSENT = 0xFFFFFFFF  # length marker of a missing signature header (an empty one is length 0)
_DOMAIN = b"kasane.verified-log.v1\0"


def genesis(topic: str, partition: int, start: int) -> bytes:
    """The digest "before" the first record of a chain starting at offset ``start``."""
    return hashlib.sha256(_DOMAIN + f"{topic}\0{partition}\0{start}".encode()).digest()


def signature_of(delivery: Delivery) -> bytes | None:
    for key, value in delivery.headers:
        if key == SIGNATURE_HEADER:
            return value
    return None


def link(previous: bytes, delivery: Delivery, verified: bool) -> bytes:
    """The running digest after ``delivery``: unambiguous (fixed-size fields, the signature
    length-prefixed, the value last) and bound to the verdict, so a record the consumer
    refused cannot be passed off as one it accepted."""
    signature = signature_of(delivery)
    h = hashlib.sha256(previous)
    h.update(
        struct.pack(
            ">qBI",
            delivery.offset,
            1 if verified else 0,
            _ABSENT if signature is None else len(signature),
        )
    )
    if signature is not None:
        h.update(signature)
    h.update(delivery.value)
    return h.digest()


@dataclass(frozen=True)
class Chain:
    """A partition's running digest: records ``start`` … ``offset`` folded into ``digest``."""

    start: int
    offset: int
    digest: bytes


@dataclass(frozen=True)
class Checkpoint:
    offset: int
    digest: bytes


Key = tuple[str, int]  # (topic, partition)


def advance(
    chains: dict[Key, Chain], judged: Sequence[tuple[Delivery, bool]]
) -> tuple[dict[Key, Chain], set[Key]]:
    """Fold ``judged`` (deliveries with their signature verdict, in the consumer's order) into
    ``chains``: the partitions' new chains, and those that started a new chain here. Pure."""
    out = dict(chains)
    restarted: set[Key] = set()
    for delivery, verified in judged:
        key = (delivery.topic, delivery.partition)
        chain = out.get(key)
        if chain is not None and delivery.offset <= chain.offset:
            continue  # redelivered: already folded in
        if chain is None or delivery.offset != chain.offset + 1:
            start = delivery.offset
            chain = Chain(start, start - 1, genesis(delivery.topic, delivery.partition, start))
            restarted.add(key)
        out[key] = Chain(chain.start, delivery.offset, link(chain.digest, delivery, verified))
    return out, restarted


_LOAD = (
    'SELECT DISTINCT ON (topic, partition) topic, partition, chain_start, "offset", digest'
    " FROM verified_checkpoints WHERE consumer = $1 AND topic = ANY($2::text[])"
    ' ORDER BY topic, partition, chain_start DESC, "offset" DESC'
)
# One statement per partition and batch: the new checkpoint; the older checkpoint of the same
# block and every row of an older chain go.
_STORE = (
    "WITH dropped AS (DELETE FROM verified_checkpoints"
    " WHERE consumer = $1 AND topic = $2 AND partition = $3"
    ' AND (chain_start < $4 OR (chain_start = $4 AND "offset" < $5 AND "offset" / $7 = $5 / $7)))'
    ' INSERT INTO verified_checkpoints (consumer, topic, partition, chain_start, "offset", digest)'
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"
)


class VerifiedLog:
    """A consumer's verified-log checkpoints (one per consumer name and database)."""

    def __init__(self, consumer: str) -> None:
        self.consumer = consumer
        self._chains: dict[Key, Chain] = {}

    async def record(self, pool: asyncpg.Pool, judged: Sequence[tuple[Delivery, bool]]) -> None:
        """Fold records handled outside a batch transaction in and store their checkpoints in
        a transaction of their own. A failure here raises (the caller treats it as the
        batch's) and leaves the in-memory chains as they were, so a redelivery folds the same
        records again."""
        if not judged:
            return
        async with pool.acquire() as conn:
            # Committed without waiting for the WAL flush: a checkpoint attests what was
            # verified, not what was applied, and one lost in a crash only makes a replay
            # verify more. This path is the rare one (a single record, a batch of refused
            # records, a batch handled record by record); a batch's checkpoint normally goes
            # in the batch's own transaction (:meth:`stage`), which waits for the flush anyway.
            async with conn.transaction():
                await conn.execute("SET LOCAL synchronous_commit = off")
                chains = await self.stage(conn, judged)
        self.adopt(chains)

    async def stage(
        self, conn: asyncpg.Connection, judged: Sequence[tuple[Delivery, bool]]
    ) -> dict[Key, Chain]:
        """Write the checkpoints of ``judged`` on ``conn`` (inside the caller's transaction)
        and return the chains they lead to; :meth:`adopt` them once that transaction has
        committed. The in-memory chains do not change here, so a rollback leaves them as
        they were and a redelivery folds the same records again."""
        stale = {
            (d.topic, d.partition)
            for d, _ in judged
            if (c := self._chains.get((d.topic, d.partition))) is None or d.offset > c.offset + 1
        }
        loaded = dict(self._chains)
        if stale:
            for row in await conn.fetch(_LOAD, self.consumer, sorted({t for t, _ in stale})):
                key = (row["topic"], row["partition"])
                if key in stale:
                    loaded[key] = Chain(row["chain_start"], row["offset"], bytes(row["digest"]))
        chains, restarted = advance(loaded, judged)
        touched = {(d.topic, d.partition) for d, _ in judged}
        rows = [
            (self.consumer, t, p, c.start, c.offset, c.digest, BLOCK)
            for (t, p), c in sorted(chains.items())
            if (t, p) in touched and chains[(t, p)] != loaded.get((t, p))
        ]
        for topic, partition in sorted(restarted):
            log.info("%s: verified log of %s[%d] starts anew", self.consumer, topic, partition)
        if len(rows) == 1:
            await conn.execute(_STORE, *rows[0])
        elif rows:
            await conn.executemany(_STORE, rows)
        return chains

    def adopt(self, chains: dict[Key, Chain]) -> None:
        """The chains :meth:`stage` returned, once what it wrote has committed."""
        self._chains = chains


async def load_checkpoints(
    conn: asyncpg.Connection, consumer: str, topic: str, partition: int
) -> tuple[int, list[Checkpoint]]:
    """The newest chain's start and checkpoints (in offset order); (-1, []) if none."""
    rows = await conn.fetch(
        'SELECT chain_start, "offset", digest FROM verified_checkpoints'
        " WHERE consumer = $1 AND topic = $2 AND partition = $3"
        " AND chain_start = (SELECT max(chain_start) FROM verified_checkpoints"
        "  WHERE consumer = $1 AND topic = $2 AND partition = $3)"
        ' ORDER BY "offset"',
        consumer,
        topic,
        partition,
    )
    if not rows:
        return -1, []
    return rows[0]["chain_start"], [Checkpoint(r["offset"], bytes(r["digest"])) for r in rows]
