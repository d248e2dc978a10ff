"""The system under test: POST /consultations on intake → outbox → relay → Kafka →
indicators' inbox consumer → ``consultation_facts``, with both services as child processes.

End-to-end latency of one consultation = first time the bench sees its row in indicators'
database - the moment its POST started. A watcher polls ``consultation_facts`` read-only
every ``poll_s`` for the consultations still awaited (ids from the 201s, looked up by the
table's unique index) and stamps each id with the time the poll was issued: the row
committed before that poll's snapshot and after the previous one (or after its POST was
answered), so a stamp is late by at most one poll interval (plus the query's own start-up).

The probe and the load generator share the two cores with the system under test, so both
are kept cheap: the poll reads only the awaited rows (reading the whole table every 20 ms
grew with the run and took a third of a core by its end), and the POSTs go through the
minimal keep-alive client of :mod:`bench.http_client` (httpx cost several times more CPU
per request than the service's own HTTP handling).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from bench.deadline import Deadline
from bench.http_client import Client
from bench.stats import latency_ms, rate
from kasane_dev.testing.services import ChildService

_SELECT_FACTS = (
    "SELECT consultation_id::text AS id FROM consultation_facts"
    " WHERE consultation_id = ANY($1::uuid[])"
)


@dataclass
class KasaneRecorder:
    n: int
    started: float | None = None  # first measured POST began
    posts_done: float | None = None  # last measured POST answered
    sent: dict[str, float] = field(default_factory=dict)  # consultation_id -> POST start
    post_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self, seen: dict[str, float]) -> dict[str, Any]:
        e2e = [seen[c] - t0 for c, t0 in self.sent.items() if c in seen]
        last_seen = max((seen[c] for c in self.sent if c in seen), default=None)
        wall = (
            last_seen - self.started
            if self.started is not None and last_seen is not None
            else float("nan")
        )
        post_wall = (
            self.posts_done - self.started
            if self.started is not None and self.posts_done is not None
            else float("nan")
        )
        return {
            "requested": self.n,
            "posted": len(self.sent),
            "visible": len(e2e),
            "missing": len(self.sent) - len(e2e),
            "wall_s": wall,
            "throughput_per_s": rate(len(e2e), wall),
            "post_wall_s": post_wall,
            "post_throughput_per_s": rate(len(self.sent), post_wall),
            "post_latency": latency_ms(self.post_s).as_dict(),
            "end_to_end_latency": latency_ms(e2e).as_dict(),
            "errors": len(self.errors),
            "error_samples": self.errors[:5],
        }


class VisibilityWatcher:
    """Stamps each awaited consultation id with the first poll that saw it in indicators."""

    def __init__(self, dsn: str, poll_s: float) -> None:
        self._dsn = dsn
        self._poll_s = poll_s
        self.seen: dict[str, float] = {}
        self.awaited: set[str] = set()
        self.polls = 0
        self.poll_query_s = 0.0

    def expect(self, consultation_id: str) -> None:
        """Watch for this consultation (its POST was answered 201)."""
        if consultation_id not in self.seen:
            self.awaited.add(consultation_id)

    async def run(self) -> None:
        conn = await asyncpg.connect(self._dsn)
        try:
            while True:
                issued = time.perf_counter()
                if self.awaited:
                    rows = await conn.fetch(_SELECT_FACTS, list(self.awaited))
                    self.poll_query_s += time.perf_counter() - issued
                    self.polls += 1
                    for row in rows:
                        self.seen.setdefault(row["id"], issued)
                        self.awaited.discard(row["id"])
                await asyncio.sleep(self._poll_s)
        finally:
            await conn.close()

    def stats(self) -> dict[str, Any]:
        return {
            "poll_interval_ms": self._poll_s * 1000,
            "polls": self.polls,
            "mean_poll_query_ms": self.poll_query_s / self.polls * 1000 if self.polls else None,
        }


@dataclass(frozen=True)
class Poster:
    """POSTs consultations round-robin over the agencies (each with its own token: the
    clients' ``tokens`` are in the agencies' order) and over the intake replicas (one
    client each)."""

    clients: list[Client]
    watcher: VisibilityWatcher

    async def post(self, i: int, rec: KasaneRecorder) -> None:
        client = self.clients[i % len(self.clients)]
        begin = time.perf_counter()
        if rec.started is None:
            rec.started = begin
        try:
            status, body = await client.post(i)
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
            rec.errors.append(f"{type(exc).__name__}: {exc}")
            return
        end = time.perf_counter()
        if status != 201:
            rec.errors.append(f"HTTP {status}: {body[:300].decode(errors='replace')}")
            return
        consultation_id = str(json.loads(body)["consultation_id"])
        rec.sent[consultation_id] = begin
        self.watcher.expect(consultation_id)
        rec.post_s.append(end - begin)
        rec.posts_done = end


async def post_all(
    poster: Poster, rec: KasaneRecorder, *, concurrency: int, deadline: Deadline
) -> None:
    """``rec.n`` POSTs with at most ``concurrency`` in flight; stops at the deadline."""
    counter = itertools.count()

    async def worker() -> None:
        while (i := next(counter)) < rec.n and not deadline.passed():
            await poster.post(i, rec)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def wait_visible(
    rec: KasaneRecorder,
    watcher: VisibilityWatcher,
    children: list[ChildService],
    deadline: Deadline,
    cap_s: float = float("inf"),
) -> bool:
    """Until every posted consultation is visible; False at the deadline or ``cap_s``."""
    end = time.perf_counter() + min(deadline.remaining(), cap_s)

    def done() -> bool:
        return all(c in watcher.seen for c in rec.sent)

    while not done():
        for child in children:
            if child.process.poll() is not None:
                raise RuntimeError(
                    f"{child.name} exited ({child.process.returncode}); see {child.log_path}"
                )
        if time.perf_counter() >= end:
            return False
        await asyncio.sleep(0.05)
    return True


async def _fetch(dsn: str, query: str) -> list[Any]:
    conn = await asyncpg.connect(dsn)
    try:
        return list(await conn.fetch(query))
    finally:
        await conn.close()


async def stage_breakdown(
    intake_dsn: str, indicators_dsn: str, consultation_ids: set[str]
) -> dict[str, Any]:
    """Where the time went, from the services' own timestamps (one server, one clock).

    ``outbox.created_at`` is the POST transaction's start, ``outbox.sent_at`` the relay's
    mark after the broker's ack, ``inbox.handled_at`` the indicators transaction's start.
    Read-only; the relay marks a whole batch after its last ack, so indicators may handle
    an event slightly before it is marked sent (a negative second stage).
    """
    outbox = await _fetch(intake_dsn, "SELECT event_id, created_at, sent_at FROM outbox")
    handled = await _fetch(
        indicators_dsn,
        "SELECT f.consultation_id::text AS id, f.event_id, i.handled_at"
        " FROM consultation_facts f JOIN inbox i"
        " ON i.event_id = f.event_id AND i.consumer = 'indicators'",
    )
    sent = {r["event_id"]: r for r in outbox if r["sent_at"] is not None}
    relay_s, consume_s = [], []
    marks, transactions = set(), set()
    for row in handled:
        out = sent.get(row["event_id"])
        if row["id"] not in consultation_ids or out is None:
            continue
        relay_s.append((out["sent_at"] - out["created_at"]).total_seconds())
        consume_s.append((row["handled_at"] - out["sent_at"]).total_seconds())
        # Each relay mark and each indicators batch is one transaction with one now().
        marks.add(out["sent_at"])
        transactions.add(row["handled_at"])
    return {
        "post_tx_start_to_relay_sent": latency_ms(relay_s).as_dict(),
        "relay_sent_to_indicators_tx_start": latency_ms(consume_s).as_dict(),
        "events": len(relay_s),
        "relay_marks": len(marks),
        "indicators_transactions": len(transactions),
    }
