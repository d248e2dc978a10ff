"""Raw baseline 2: plain asyncpg, one single-row INSERT per transaction.

Same server as the services, its own throw-away database, a pool of ``concurrency``
connections driven by as many workers; each INSERT commits on its own (one WAL flush each,
like one POST /consultations).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from bench.deadline import Deadline
from bench.stats import latency_ms, rate
from kasane.db.urls import database_url
from kasane.ids import uuid7
from kasane_dev.local.postgres import ensure_database

_TABLE = """
CREATE TABLE IF NOT EXISTS raw_inserts (
    id          uuid        PRIMARY KEY,
    agency_id   text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    body        text        NOT NULL
)
"""
_INSERT = "INSERT INTO raw_inserts (id, agency_id, body) VALUES ($1, $2, $3)"


@dataclass
class RawPostgresRecorder:
    n: int
    database: str = ""
    started: float | None = None
    finished: float | None = None
    insert_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        wall = (
            self.finished - self.started
            if self.started is not None and self.finished is not None
            else float("nan")
        )
        return {
            "database": self.database,
            "requested": self.n,
            "inserted": len(self.insert_s),
            "wall_s": wall,
            "throughput_per_s": rate(len(self.insert_s), wall),
            "insert_latency": latency_ms(self.insert_s).as_dict(),
            "errors": len(self.errors),
            "error_samples": self.errors[:5],
        }


async def _insert(pool: asyncpg.Pool, agency: str, body: str) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(_INSERT, uuid7(), agency, body)


async def run_raw_postgres(
    server_url: str,
    rec: RawPostgresRecorder,
    *,
    agencies: list[str],
    concurrency: int,
    size: int,
    warmup: int,
    deadline: Deadline,
) -> None:
    await ensure_database(server_url, rec.database)
    body = "x" * size
    pool = await asyncpg.create_pool(
        database_url(server_url, rec.database), min_size=concurrency, max_size=concurrency
    )
    try:
        await pool.execute(_TABLE)
        for i in range(warmup):
            await _insert(pool, agencies[i % len(agencies)], body)
        counter = itertools.count()

        async def worker() -> None:
            while (i := next(counter)) < rec.n and not deadline.passed():
                if rec.started is None:
                    rec.started = time.perf_counter()
                begin = time.perf_counter()
                try:
                    await _insert(pool, agencies[i % len(agencies)], body)
                except Exception as exc:  # a benchmark reports failures, it does not stop
                    rec.errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                end = time.perf_counter()
                rec.insert_s.append(end - begin)
                rec.finished = end

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await pool.close()
