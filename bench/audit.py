"""Access-audit throughput: audited transactions per second with many concurrent writers,
before (one global chain lock) and after (lock-free appends + the sealer), in one run.

    .venv/bin/python -m bench.audit --n 2000 --writers 16 --rounds 3

Each phase has a database of its own on the same server (``--database-url``, default
``KASANE_TEST_DATABASE_URL`` or the local stack's server) and ``--writers`` workers with a
connection each; every transaction writes one audit row and commits (one WAL flush each):

- ``raw``: plain asyncpg INSERT of an audit-shaped row, no lock, no hash — the ceiling;
- ``lock``: plain asyncpg doing what ``record_access`` did before the sealer: take the
  chain's advisory transaction lock (7302017), read the last row's hash, insert the chained
  row, commit (lock held until commit) — on the tables as they were then (migrations
  0001-0003);
- ``kasane``: ``kasane.audit.record_access`` on the current schema while an
  ``AuditSealer`` (interval 0.25 s) links rows in the background, as in a service. Reports
  also the sealing lag: last commit → every row sealed, and verifies the chain.

A benchmark, not a test: it prints figures and writes ``.kasane/bench/audit-<time>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import asyncpg

from bench.stats import latency_ms, rate
from kasane.audit import GENESIS, AccessEntry, chain_hash, read_chain, record_access, verify_chain
from kasane.audit_sealer import AuditSealer
from kasane.db.migrate import apply, migrations_for
from kasane.db.urls import database_url
from kasane.settings import REPO_ROOT, get_settings
from kasane_dev.local.postgres import ensure_database

_CHAIN_LOCK = 7_302_017  # the lock record_access took before the sealer existed


def _entry(i: int) -> AccessEntry:
    return AccessEntry(
        actor_sub=f"staff-{i % 50}",
        actor_agency="houkatsu-01",
        record_type="consultation",
        record_id=str(uuid.uuid4()),
        action="read",
        purpose="相談受付",
        outcome="allowed",
        legal_basis="owner",
        subject_id=str(uuid.uuid4()),
    )


async def _raw(conn: asyncpg.Connection, i: int) -> None:
    row = {**asdict(_entry(i)), "at": datetime.now(UTC)}
    async with conn.transaction():
        await conn.execute(
            "INSERT INTO raw_audit (at, actor_sub, actor_agency, record_type, record_id,"
            " subject_id, action, purpose, legal_basis, outcome)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            row["at"],
            row["actor_sub"],
            row["actor_agency"],
            row["record_type"],
            row["record_id"],
            row["subject_id"],
            row["action"],
            row["purpose"],
            row["legal_basis"],
            row["outcome"],
        )


async def _locked(conn: asyncpg.Connection, i: int) -> None:
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _CHAIN_LOCK)
        last = await conn.fetchrow("SELECT seq, hash FROM access_audit ORDER BY seq DESC LIMIT 1")
        row: dict[str, Any] = {
            **asdict(_entry(i)),
            "seq": (last["seq"] + 1) if last else 1,
            "at": datetime.now(UTC),
        }
        row["prev_hash"] = last["hash"] if last else GENESIS
        row["hash"] = chain_hash(row["prev_hash"], row)
        columns = list(row)
        await conn.execute(
            f"INSERT INTO access_audit ({', '.join(columns)})"
            f" VALUES ({', '.join(f'${k}' for k in range(1, len(columns) + 1))})",
            *row.values(),
        )


async def _kasane(conn: asyncpg.Connection, i: int) -> None:
    async with conn.transaction():
        await record_access(conn, _entry(i))


async def _drive(
    dsn: str, n: int, writers: int, one: Callable[[asyncpg.Connection, int], Awaitable[None]]
) -> dict[str, Any]:
    conns = [await asyncpg.connect(dsn) for _ in range(writers)]
    counter = iter(range(n))
    took: list[float] = []

    async def worker(conn: asyncpg.Connection) -> None:
        for i in counter:
            start = time.perf_counter()
            await one(conn, i)
            took.append(time.perf_counter() - start)

    try:
        started = time.perf_counter()
        await asyncio.gather(*(worker(c) for c in conns))
        wall = time.perf_counter() - started
    finally:
        for c in conns:
            await c.close()
    return {
        "transactions": len(took),
        "wall_s": wall,
        "per_s": rate(len(took), wall),
        "latency": latency_ms(took).as_dict(),
    }


async def _database(server: str, label: str, created: list[str]) -> str:
    name = f"bench_audit_{label}_{uuid.uuid4().hex[:8]}"
    await ensure_database(server, name)
    created.append(name)
    return database_url(server, name)


async def _kasane_round(dsn: str, n: int, writers: int) -> dict[str, Any]:
    """record_access with the sealer running; then how long until every row is sealed."""
    sealer = AuditSealer(dsn, interval_s=0.25)
    task = asyncio.create_task(sealer.run())
    conn = await asyncpg.connect(dsn)
    try:
        result = await _drive(dsn, n, writers, _kasane)
        last_commit = time.perf_counter()
        while True:
            if not await conn.fetchval("SELECT count(*) FROM access_audit WHERE seq IS NULL"):
                break
            await asyncio.sleep(0.01)
        result["sealed_s_after_last_commit"] = time.perf_counter() - last_commit
    finally:
        sealer.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await conn.close()
    return result


async def run(server: str, n: int, writers: int, rounds: int) -> dict[str, Any]:
    created: list[str] = []
    results: dict[str, Any] = {"n": n, "writers": writers, "rounds": rounds}
    try:
        raw_dsn = await _database(server, "raw", created)
        conn = await asyncpg.connect(raw_dsn)
        await conn.execute(
            "CREATE TABLE raw_audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL,"
            " actor_sub text NOT NULL, actor_agency text NOT NULL, record_type text NOT NULL,"
            " record_id text NOT NULL, subject_id text, action text NOT NULL,"
            " purpose text NOT NULL, legal_basis text, outcome text NOT NULL)"
        )
        await conn.close()
        lock_dsn = await _database(server, "lock", created)
        conn = await asyncpg.connect(lock_dsn)
        await apply(conn, "kasane", [m for m in migrations_for("kasane") if m.version <= 3])
        await conn.close()
        kasane_dsn = await _database(server, "kasane", created)
        conn = await asyncpg.connect(kasane_dsn)
        await apply(conn, "kasane", migrations_for("kasane"))
        await conn.close()

        # Phases alternate round by round, so load from elsewhere on the machine spreads
        # over all three instead of favouring one; the summary takes the median round.
        per_round: dict[str, list[dict[str, Any]]] = {"raw": [], "lock": [], "kasane": []}
        for _ in range(rounds):
            per_round["raw"].append(await _drive(raw_dsn, n, writers, _raw))
            per_round["lock"].append(await _drive(lock_dsn, n, writers, _locked))
            per_round["kasane"].append(await _kasane_round(kasane_dsn, n, writers))
        for phase, runs in per_round.items():
            median = sorted(runs, key=lambda r: float(r["per_s"]))[len(runs) // 2]
            results[phase] = {**median, "per_s_rounds": [r["per_s"] for r in runs]}
        results["kasane"]["sealed_s_rounds"] = [
            r["sealed_s_after_last_commit"] for r in per_round["kasane"]
        ]

        conn = await asyncpg.connect(kasane_dsn)
        rows = await read_chain(conn)
        await conn.close()
        results["kasane"]["chain_rows"] = len(rows)
        results["kasane"]["chain_intact"] = verify_chain(rows) is None
    finally:
        conn = await asyncpg.connect(server)
        for name in created:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()
    results["kasane_vs_lock"] = results["kasane"]["per_s"] / results["lock"]["per_s"]
    results["kasane_vs_raw"] = results["kasane"]["per_s"] / results["raw"]["per_s"]
    return results


def render(results: dict[str, Any]) -> str:
    lines = [
        f"audited transactions, {results['n']} per phase and round, {results['writers']}"
        f" writers, median of {results['rounds']} rounds",
        f"{'phase':<8} {'tx/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}",
    ]
    for phase in ("raw", "lock", "kasane"):
        r = results[phase]
        lat = r["latency"]
        lines.append(
            f"{phase:<8} {r['per_s']:>9.0f} {lat['p50_ms']:>8.1f} {lat['p99_ms']:>8.1f}"
            f" {lat['max_ms']:>8.1f}"
        )
    k = results["kasane"]
    lines.append(
        f"kasane/lock {results['kasane_vs_lock']:.2f}x, kasane/raw {results['kasane_vs_raw']:.2f};"
        f" all sealed {max(k['sealed_s_rounds']):.2f} s after the last commit (worst round);"
        f" chain of {k['chain_rows']} rows intact: {k['chain_intact']}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="transactions per phase")
    parser.add_argument("--writers", type=int, default=16, help="concurrent writers")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the three phases")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("KASANE_TEST_DATABASE_URL") or get_settings().database_url,
        help="PostgreSQL server URL (default: KASANE_TEST_DATABASE_URL)",
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or KASANE_TEST_DATABASE_URL) is required")
    results = asyncio.run(run(args.database_url, args.n, args.writers, args.rounds))
    print(render(results))
    out = REPO_ROOT / ".kasane" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"audit-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"results: {path}")


if __name__ == "__main__":
    main()
