"""Benchmark: POST /consultations under open-loop overload (admission control).

    .venv/bin/python -m bench.overload                 # 2x capacity for 20 s
    .venv/bin/python -m bench.overload --factor 3 --duration 30 --unbounded

Starts real Kafka + PostgreSQL (``kasane_dev.testing.infra.test_infra``), measures the raw
asyncpg INSERT baseline, runs intake as a child process, measures its capacity closed-loop,
then offers ``--factor`` x capacity open-loop (arrivals on a fixed schedule, whatever the
answers) and reports accepted throughput, shed count and the latency of accepted requests.
``--unbounded`` repeats the open-loop phase with admission control off, to show what it
prevents. Nothing here asserts on timings. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from bench.consultations import STATE, configure, remove_run, stop_child
from bench.deadline import Deadline
from bench.http_client import Client
from bench.procfs import cpu_seconds
from bench.raw_postgres import RawPostgresRecorder, run_raw_postgres
from bench.report import write_json
from bench.stats import latency_ms, rate
from bench.workload import agency_ids, event_size
from kasane.auth.tokens import mint_dev_token
from kasane.settings import Settings
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import TestInfra, test_infra
from kasane_dev.testing.services import ChildService, prepare_database, start_child

ACCEPTED_TARGET = 0.90  # accepted throughput at overload, as a share of capacity
P99_TARGET_MS = 1000.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.overload", description=__doc__)
    parser.add_argument("--capacity-n", type=int, default=1500, help="closed-loop POSTs")
    parser.add_argument(
        "--concurrency", type=int, default=0,
        help="closed-loop in flight (default: the service's KASANE_MAX_IN_FLIGHT, so the"
        " capacity phase is never shed)",
    )  # fmt: skip
    parser.add_argument("--factor", type=float, default=2.0, help="offered rate / capacity")
    parser.add_argument("--duration", type=float, default=20.0, help="open-loop seconds")
    parser.add_argument("--unbounded", action="store_true", help="also run without admission")
    parser.add_argument("--timeout", type=float, default=600.0, help="global budget, seconds")
    parser.add_argument(
        "--infra-state",
        type=Path,
        default=Path(os.environ.get("KASANE_BENCH_STATE_DIR", STATE / "bench-infra")),
    )
    parser.add_argument("--out", type=Path, default=STATE / "bench", help="JSON results folder")
    args = parser.parse_args(argv)
    if args.capacity_n < 1 or args.concurrency < 0 or args.factor <= 0 or args.duration <= 0:
        parser.error("counts, factor and duration must be positive")
    return args


@dataclass
class Phase:
    """Every answer of one phase: status, and seconds from the request's *scheduled* start
    (open loop: a request the client could not send on time is late, and that counts)."""

    answers: list[tuple[int, float]] = field(default_factory=list)  # (status or 0, seconds)
    # How late the client itself sent each request (its own event loop competes for the
    # same CPUs): part of the latency above, shown apart so a starved client is visible.
    late_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    began: float = 0.0
    ended: float = 0.0
    server_cpu_s: float = float("nan")  # CPU time the service process used in this phase

    def summary(self, offered_per_s: float | None = None) -> dict[str, Any]:
        statuses = Counter(s for s, _ in self.answers)
        accepted = [t for s, t in self.answers if s == 201]
        shed = [t for s, t in self.answers if s == 503]
        wall = self.ended - self.began
        return {
            "offered_per_s": offered_per_s,
            "requests": len(self.answers),
            "wall_s": wall,
            "accepted": len(accepted),
            "accepted_per_s": rate(len(accepted), wall),
            "shed_503": len(shed),
            "other": {str(k): v for k, v in statuses.items() if k not in (201, 503)},
            "accepted_latency": latency_ms(accepted).as_dict(),
            "shed_latency": latency_ms(shed).as_dict(),
            "client_send_lateness": latency_ms(self.late_s).as_dict(),
            # CPU time, unlike wall time, does not depend on what else the machine runs.
            "server_cpu_s": self.server_cpu_s,
            "server_cpu_ms_per_request": self.server_cpu_s / len(self.answers) * 1000
            if self.answers
            else float("nan"),
            "error_samples": self.errors[:5],
        }


async def post(client: Client, i: int, scheduled: float, phase: Phase) -> None:
    phase.late_s.append(time.perf_counter() - scheduled)
    try:
        status = await client.post_status(i)
    except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
        phase.errors.append(f"{type(exc).__name__}: {exc}")
        status = 0
    done = time.perf_counter()
    phase.answers.append((status, done - scheduled))
    phase.ended = max(phase.ended, done)


async def closed_loop(client: Client, n: int, concurrency: int, deadline: Deadline) -> Phase:
    phase = Phase(began=time.perf_counter())
    counter = iter(range(n))

    async def worker() -> None:
        for i in counter:
            if deadline.passed():
                return
            await post(client, i, time.perf_counter(), phase)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return phase


async def open_loop(
    client: Client, per_s: float, duration: float, deadline: Deadline, drain_s: float = 60
) -> Phase:
    """Arrival i is due at begin + i/per_s; it is sent then, whether or not earlier
    requests were answered (an open system, like many clients who do not coordinate)."""
    phase = Phase(began=time.perf_counter())
    tasks: list[asyncio.Task[None]] = []
    total = int(per_s * duration)
    for i in range(total):
        due = phase.began + i / per_s
        if deadline.passed():
            break
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(post(client, i, due, phase)))
    _, pending = await asyncio.wait(tasks, timeout=min(drain_s, deadline.remaining() + 1))
    for task in pending:
        task.cancel()
    phase.errors += [f"unanswered after the drain: {len(pending)}"] if pending else []
    return phase


async def measure(
    settings: Settings, args: argparse.Namespace, env: dict[str, str], label: str,
    deadline: Deadline, children: list[ChildService],
) -> dict[str, Any]:  # fmt: skip
    """One intake process: capacity closed-loop, then overload open-loop."""
    log_dir = settings.log_dir
    child = await start_child("intake", free_port(), env, log_dir / f"intake-{label}.log")
    children.append(child)
    agencies = agency_ids()
    tokens = [mint_dev_token(settings.keys_dir, f"bench-{a}", a, ["counselor"]) for a in agencies]
    concurrency = args.concurrency or settings.max_in_flight
    url = httpx.URL(child.base_url)
    client = Client(url.host, url.port or 80, tokens)
    try:
        pid = child.process.pid
        await closed_loop(client, 50, concurrency, deadline)  # warm-up
        cpu = cpu_seconds(pid)
        capacity_phase = await closed_loop(client, args.capacity_n, concurrency, deadline)
        capacity_phase.server_cpu_s = cpu_seconds(pid) - cpu
        capacity = capacity_phase.summary()
        offered = capacity["accepted_per_s"] * args.factor
        print(f"[bench] {label}: capacity {capacity['accepted_per_s']:.1f}/s; offering "
              f"{offered:.1f}/s for {args.duration:.0f}s", flush=True)  # fmt: skip
        await asyncio.sleep(2)  # let the relay catch up so both phases start even
        cpu = cpu_seconds(pid)
        overload_phase = await open_loop(client, offered, args.duration, deadline)
        overload_phase.server_cpu_s = cpu_seconds(pid) - cpu
        overload = overload_phase.summary(offered)
        # Capacity again: on a machine shared with other work, capacity drifts; the share
        # is also given against this second measurement and the mean of the two.
        await asyncio.sleep(2)
        after = await closed_loop(client, max(1, args.capacity_n // 2), concurrency, deadline)
        capacity_after = after.summary()
    finally:
        await client.close()
        await stop_child(child)
    return {
        "capacity": capacity,
        "overload": overload,
        "capacity_after": capacity_after,
        "env": env.get("KASANE_MAX_IN_FLIGHT"),
    }


def verdict(result: dict[str, Any]) -> dict[str, Any]:
    cap = result["capacity"]["accepted_per_s"]
    after = result["capacity_after"]["accepted_per_s"]
    over = result["overload"]
    share = over["accepted_per_s"] / cap if cap else float("nan")
    p99 = over["accepted_latency"]["p99_ms"]
    return {
        "accepted_share_of_capacity": share,
        "accepted_share_of_capacity_after": over["accepted_per_s"] / after,
        "accepted_share_of_mean_capacity": over["accepted_per_s"] / ((cap + after) / 2),
        "accepted_share_ok": share >= ACCEPTED_TARGET,
        "p99_ok": p99 < P99_TARGET_MS,
    }


def render(results: dict[str, Any]) -> str:
    lines = []
    raw = results.get("raw_asyncpg")
    if raw:
        lines.append(
            f"raw asyncpg INSERT+COMMIT: {raw['throughput_per_s']:.1f}/s "
            f"(p50 {raw['insert_latency']['p50_ms']:.1f} ms, p99 "
            f"{raw['insert_latency']['p99_ms']:.1f} ms, {raw['inserted']} rows)"
        )
    header = (
        f"{'run':<22} {'capacity/s':>10} {'offered/s':>9} {'accepted/s':>10} {'share':>6} "
        f"{'accepted':>8} {'shed 503':>8} {'other':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    lines += [header, "-" * len(header)]
    for label in ("admission", "unbounded"):
        r = results.get(label)
        if not r:
            continue
        cap, over, v = r["capacity"], r["overload"], r["verdict"]
        lat = over["accepted_latency"]
        other = sum(over["other"].values())
        lines.append(
            f"{label:<22} {cap['accepted_per_s']:>10.1f} {over['offered_per_s']:>9.1f} "
            f"{over['accepted_per_s']:>10.1f} {v['accepted_share_of_capacity']:>6.2f} "
            f"{over['accepted']:>8} {over['shed_503']:>8} {other:>6} {lat['p50_ms']:>8.0f} "
            f"{lat['p95_ms']:>8.0f} {lat['p99_ms']:>8.0f}"
        )
        lines.append(
            f"{'':<22} capacity after: {r['capacity_after']['accepted_per_s']:.1f}/s; share of"
            f" it {v['accepted_share_of_capacity_after']:.2f}, of the mean of both "
            f"{v['accepted_share_of_mean_capacity']:.2f}\n"
            f"{'':<22} capacity p50/p99 {cap['accepted_latency']['p50_ms']:.0f}/"
            f"{cap['accepted_latency']['p99_ms']:.0f} ms; shed answered p99 "
            f"{over['shed_latency']['p99_ms']:.0f} ms; client sent late p50/p99 "
            f"{over['client_send_lateness']['p50_ms']:.0f}/"
            f"{over['client_send_lateness']['p99_ms']:.0f} ms;\n{'':<22} service CPU per "
            f"request: {cap['server_cpu_ms_per_request']:.1f} ms at capacity, "
            f"{over['server_cpu_ms_per_request']:.1f} ms overloaded (incl. shed); accepted >= "
            f"{ACCEPTED_TARGET:.0%} of capacity: {'yes' if v['accepted_share_ok'] else 'NO'};"
            " p99 < "
            f"{P99_TARGET_MS:.0f} ms: {'yes' if v['p99_ok'] else 'NO'}"
        )
    if results.get("error"):
        lines.append(f"error: {results['error']}")
    return "\n".join(lines)


async def run_bench(
    args: argparse.Namespace, settings: Settings, infra: TestInfra, deadline: Deadline
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    children: list[ChildService] = []
    raw = RawPostgresRecorder(1000, database=f"bench_raw{settings.database_suffix}")
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        await run_raw_postgres(
            settings.database_url, raw, agencies=agency_ids(), concurrency=16,
            size=event_size(), warmup=50, deadline=deadline,
        )  # fmt: skip
        results["raw_asyncpg"] = raw.summary()
        await prepare_database("intake", settings)
        settings.log_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k.startswith("KASANE_")}
        runs = [("admission", env)]
        if args.unbounded:  # admission off: no in-flight limit, the pool waits without end
            runs.append(("unbounded", {**env, "KASANE_MAX_IN_FLIGHT": "1000000",
                                       "KASANE_DB_POOL_ACQUIRE_TIMEOUT_S": "3600"}))  # fmt: skip
        for label, run_env in runs:
            result = await measure(settings, args, run_env, label, deadline, children)
            result["verdict"] = verdict(result)
            results[label] = result
    except asyncio.CancelledError:
        results["error"] = "interrupted"
    except Exception as exc:
        traceback.print_exc()
        results["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        await asyncio.shield(cleanup(settings, infra, children, raw.database))
        asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
    return results


async def cleanup(
    settings: Settings, infra: TestInfra, children: list[ChildService], raw_db: str
) -> None:
    await remove_run(settings, infra.source, children, databases=[raw_db])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    begin = time.perf_counter()
    deadline = Deadline.after(args.timeout)
    run_id = uuid.uuid4().hex[:8]
    stamp = datetime.now().astimezone().strftime("%Y%m%dT%H%M%S")
    results: dict[str, Any] = {
        "benchmark": "overload",
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "run_id": run_id,
        "args": {k: str(v) for k, v in vars(args).items()},
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    try:
        with test_infra(args.infra_state, report=lambda s: print(f"[infra] {s}")) as infra:
            results["infra_source"] = infra.source
            settings = configure(infra, run_id, args.out / f"run-{stamp}-{run_id}")
            results["max_in_flight"] = settings.max_in_flight
            results["db_pool_max_size"] = settings.db_pool_max_size
            results["db_pool_acquire_timeout_s"] = settings.db_pool_acquire_timeout_s
            results.update(asyncio.run(run_bench(args, settings, infra, deadline)))
    except KeyboardInterrupt:
        results["error"] = "interrupted"
    except Exception as exc:
        traceback.print_exc()
        results["error"] = f"{type(exc).__name__}: {exc}"
    results["total_s"] = time.perf_counter() - begin
    path = args.out / f"overload-{stamp}.json"
    write_json(results, path)
    print()
    print(render(results))
    print(f"\nJSON: {path}")
    return 0 if "admission" in results and not results.get("error") else 1


if __name__ == "__main__":
    raise SystemExit(main())
