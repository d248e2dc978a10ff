"""Benchmark: consultations from intake's HTTP API to indicators' read model.

    .venv/bin/python -m bench.consultations --n 2000
    .venv/bin/python -m bench.consultations --replicas 2 --open-rate 100

Starts real Kafka + PostgreSQL (``kasane_dev.testing.infra.test_infra``), measures the raw
baselines (plain aiokafka produce→consume, plain asyncpg INSERTs), then runs intake and
indicators as child processes (``--replicas`` instances of each), POSTs N consultations
closed-loop and times each until it is visible in indicators, then offers ``--open-rate``
consultations/s open-loop for ``--open-duration`` s. Prints a table with ratios against the
baselines and writes JSON under .kasane/bench/. Nothing here asserts on timings. See
bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

import asyncpg
import httpx

from bench.deadline import Deadline
from bench.http_client import Client
from bench.kasane_path import (
    KasaneRecorder,
    Poster,
    VisibilityWatcher,
    post_all,
    stage_breakdown,
    wait_visible,
)
from bench.procfs import children_of, cpu_seconds, group_cpu_seconds
from bench.raw_kafka import RawKafkaRecorder, run_raw_kafka
from bench.raw_postgres import RawPostgresRecorder, run_raw_postgres
from bench.report import ratios, render, write_json
from bench.signing import bench_signer, measure_signing
from bench.stats import latency_ms, rate
from bench.workload import agency_ids, event_size
from kasane.auth.keys import ensure_dev_keys
from kasane.auth.tokens import mint_dev_token
from kasane.bus.credentials import ADMIN, KafkaAccess, kafka_access
from kasane.events.topics import dlq_topic_for, topic_for
from kasane.settings import REPO_ROOT, SERVICES, Settings, get_settings
from kasane.web.app import service_dsn
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import TestInfra, kafka_env, prepare_run, test_infra
from kasane_dev.testing.services import ChildService, prepare_database, start_child

STATE = REPO_ROOT / ".kasane"
WARMUP_RAW = 50
CHILD_STOP_S = 15.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.consultations", description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="consultations (and raw messages)")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight")
    parser.add_argument("--timeout", type=float, default=300.0, help="global budget, seconds")
    parser.add_argument("--poll-ms", type=float, default=20.0, help="visibility poll interval")
    parser.add_argument(
        "--replicas", type=int, default=1, help="instances of intake and of indicators"
    )
    parser.add_argument(
        "--open-rate", type=float, default=100.0, help="open-loop arrivals/s (0: no phase)"
    )
    parser.add_argument("--open-duration", type=float, default=20.0, help="open-loop seconds")
    parser.add_argument(
        "--infra-state",
        type=Path,
        default=Path(os.environ.get("KASANE_BENCH_STATE_DIR", STATE / "bench-infra")),
        help="state folder of the local Kafka + PostgreSQL (when not from env/Docker)",
    )
    parser.add_argument("--out", type=Path, default=STATE / "bench", help="JSON results folder")
    args = parser.parse_args(argv)
    if args.n < 1 or args.concurrency < 1 or args.replicas < 1:
        parser.error("--n, --concurrency and --replicas must be at least 1")
    if args.open_rate < 0 or args.open_duration <= 0:
        parser.error("--open-rate must be >= 0 and --open-duration > 0")
    return args


def configure(infra: TestInfra, run_id: str, run_dir: Path) -> Settings:
    """KASANE_* for this run (unique topics and databases), before settings are read."""
    os.environ.update(
        {
            "KASANE_STATE_DIR": str(run_dir),
            **kafka_env(infra, run_dir),
            "KASANE_DATABASE_URL": infra.database_url,
            "KASANE_TOPIC_NAMESPACE": f"bench{run_id}.",
            "KASANE_DATABASE_SUFFIX": f"_b{run_id}",
        }
    )
    get_settings.cache_clear()
    settings = get_settings()
    ensure_dev_keys(settings.keys_dir)
    prepare_run(settings)  # signing keys, the run's topics and ACLs
    return settings


async def stop_child(child: ChildService) -> None:
    """SIGTERM (uvicorn shuts down the lifespan), SIGKILL if it does not exit in time."""
    if child.process.poll() is None:
        child.process.terminate()
        with contextlib.suppress(TimeoutError):
            await child.wait_exit(CHILD_STOP_S)
    child.kill()


async def drop_databases(server_url: str, names: list[str]) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            await conn.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
    finally:
        await conn.close()


async def delete_topics(access: KafkaAccess, topics: list[str]) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(**access.client_kwargs())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        doomed = [t for t in topics if t in existing]
        if doomed:
            await admin.delete_topics(doomed)
    finally:
        await admin.close()


async def remove_run(
    settings: Settings,
    infra_source: str,
    children: list[ChildService],
    databases: Sequence[str] = (),
    topics: Sequence[str] = (),
) -> None:
    """Stop a run's services and drop what it made: the services' databases and topics (and
    DLQs) of the run's suffix and namespace, plus the raw baselines' ``databases``/``topics``.
    Topics only on a shared broker (``environment``): any other infra is thrown away whole.
    Best effort, each step bounded: a cleanup failure must not hide the run's figures."""
    await asyncio.gather(*(stop_child(c) for c in children), return_exceptions=True)
    dropped = [*databases, *(f"{n}{settings.database_suffix}" for n in SERVICES)]
    try:
        await asyncio.wait_for(drop_databases(settings.database_url, dropped), 30)
    except Exception as exc:
        print(f"[bench] databases not dropped: {exc}", flush=True)
    if infra_source == "environment":
        ns = settings.topic_namespace
        deleted = [*topics, *(topic_for(n, ns) for n in SERVICES)]
        deleted += [dlq_topic_for(n, ns) for n in SERVICES]
        try:
            await asyncio.wait_for(delete_topics(kafka_access(settings, ADMIN), deleted), 30)
        except Exception as exc:
            print(f"[bench] topics not deleted: {exc}", flush=True)


@dataclass
class OpenLoopRecorder:
    """Open loop: arrival i is due at start + i / rate and sent then, whatever happened to
    the others. Both latencies count from the due time (a late send counts as late)."""

    per_s: float
    duration_s: float
    due: dict[str, float] = field(default_factory=dict)  # consultation_id -> due time
    post_s: list[float] = field(default_factory=list)  # due -> 201 answered
    late_s: list[float] = field(default_factory=list)  # due -> actually sent (client lag)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    began: float = 0.0
    ended: float = 0.0

    def summary(self, seen: dict[str, float]) -> dict[str, Any]:
        visible = [seen[c] - d for c, d in self.due.items() if c in seen]
        return {
            "offered_per_s": self.per_s,
            "duration_s": self.duration_s,
            "requests": sum(self.statuses.values()),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "accepted_per_s": rate(len(self.due), self.ended - self.began),
            "post_latency": latency_ms(self.post_s).as_dict(),
            "visible": len(visible),
            "missing": len(self.due) - len(visible),
            "visible_latency": latency_ms(visible).as_dict(),
            "client_send_lateness": latency_ms(self.late_s).as_dict(),
            "error_samples": self.errors[:5],
        }


async def open_loop(
    clients: list[Client],
    rec: OpenLoopRecorder,
    watcher: VisibilityWatcher,
    deadline: Deadline,
    drain_s: float = 60,
) -> None:
    """Arrivals on a fixed schedule, spread round-robin over the intake replicas."""

    async def one(i: int, due: float) -> None:
        rec.late_s.append(time.perf_counter() - due)
        try:
            status, consultation_id = await clients[i % len(clients)].post_consultation(i)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            rec.errors.append(f"{type(exc).__name__}: {exc}")
            status, consultation_id = 0, None
        done = time.perf_counter()
        rec.statuses[status] += 1
        rec.ended = max(rec.ended, done)
        if consultation_id is not None:
            rec.due[consultation_id] = due
            watcher.expect(consultation_id)
            rec.post_s.append(done - due)

    rec.began = time.perf_counter()
    tasks = []
    for i in range(int(rec.per_s * rec.duration_s)):
        if deadline.passed():
            break
        due = rec.began + i / rec.per_s
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=min(drain_s, deadline.remaining() + 1))
        for task in pending:
            task.cancel()
        if pending:
            rec.errors.append(f"unanswered after the drain: {len(pending)}")


class Bench:
    def __init__(self, args: argparse.Namespace, settings: Settings, infra: TestInfra) -> None:
        self.args = args
        self.settings = settings
        self.infra = infra
        self.deadline = Deadline.after(0)  # replaced by run()
        ns, suffix = settings.topic_namespace, settings.database_suffix
        self.kafka = RawKafkaRecorder(args.n, topic=f"{ns}bench.raw-kafka.v1")
        self.kafka_signed = RawKafkaRecorder(args.n, topic=f"{ns}bench.raw-kafka-signed.v1")
        self.signing: dict[str, Any] | None = None
        self.pg = RawPostgresRecorder(args.n, database=f"bench_raw{suffix}")
        self.kasane = KasaneRecorder(args.n)
        self.watcher: VisibilityWatcher | None = None
        self.children: list[ChildService] = []
        self.phase = "starting"
        self.kasane_warmup_s: float | None = None
        self.stages: dict[str, Any] | None = None
        self.open: OpenLoopRecorder | None = None
        self.max_in_flight: int | None = None
        self.cpu_ms: dict[str, float] | None = None  # service CPU per consultation, closed loop
        self.pids: dict[str, list[int]] = {}
        # Broker and database CPU per consultation, closed loop: only with the bench's own
        # local stack (--infra-state), where nobody else's traffic is counted.
        self.infra_cpu_ms: dict[str, float] | None = None

    async def run(self, deadline: Deadline) -> None:
        self.deadline = deadline
        size = event_size()
        agencies = agency_ids()
        self.phase = "raw kafka"
        await run_raw_kafka(
            kafka_access(self.settings, ADMIN),
            self.kafka,
            concurrency=self.args.concurrency,
            size=size,
            warmup=WARMUP_RAW,
            deadline=deadline,
        )
        self.phase = "signing cost"
        self.signing = measure_signing(max(self.args.n, 2000), size)
        self.phase = "raw kafka, signed"
        signer, verifier = bench_signer()
        await run_raw_kafka(
            kafka_access(self.settings, ADMIN),
            self.kafka_signed,
            concurrency=self.args.concurrency,
            size=size,
            warmup=WARMUP_RAW,
            deadline=deadline,
            signer=signer,
            verifier=verifier,
        )
        self.phase = "raw asyncpg"
        await run_raw_postgres(
            self.settings.database_url,
            self.pg,
            agencies=agencies,
            concurrency=self.args.concurrency,
            size=size,
            warmup=WARMUP_RAW,
            deadline=deadline,
        )
        self.phase = "kasane"
        await self.run_kasane(agencies)
        self.phase = "done"

    async def run_kasane(self, agencies: list[str]) -> None:
        settings, log_dir = self.settings, self.settings.log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k.startswith("KASANE_")}
        # The closed loop measures the path's capacity, not admission control: no replica
        # may shed, even if round-robin puts every request in flight on one of them.
        in_flight = max(settings.max_in_flight, self.args.concurrency)
        env["KASANE_MAX_IN_FLIGHT"] = str(in_flight)
        self.max_in_flight = in_flight
        replicas = self.args.replicas
        for name in ("intake", "indicators"):
            await prepare_database(name, settings)
            # Started one after the other: N processes booting at once on 2 cores time out.
            for k in range(replicas):
                log = log_dir / f"{name}-{k}.log"
                self.children.append(await start_child(name, free_port(), env, log))
        intakes = [c for c in self.children if c.name == "intake"]
        self.pids = {
            n: [c.process.pid for c in self.children if c.name == n]
            for n in ("intake", "indicators")
        }
        self.watcher = VisibilityWatcher(
            service_dsn("indicators", settings), self.args.poll_ms / 1000
        )
        watching = asyncio.create_task(self.watcher.run(), name="visibility-watcher")
        tokens = {
            a: mint_dev_token(settings.keys_dir, f"bench-{a}", a, ["counselor"]) for a in agencies
        }
        clients = [
            Client(url.host, url.port or 80, list(tokens.values()), timeout_s=30)
            for url in (httpx.URL(c.base_url) for c in intakes)
        ]
        try:
            async with contextlib.AsyncExitStack() as stack:
                for client in clients:
                    stack.push_async_callback(client.close)
                poster = Poster(clients, self.watcher)
                # Warm-up, not measured: one consultation per agency, all the way through,
                # so the consumer group is assigned and every connection is open.
                begin = time.perf_counter()
                warm = KasaneRecorder(max(len(agencies), 2 * replicas))
                await post_all(poster, warm, concurrency=self.args.concurrency,
                               deadline=self.deadline)  # fmt: skip
                if warm.errors:
                    raise RuntimeError(f"warm-up POST failed: {warm.errors[0]}")
                if not await wait_visible(warm, self.watcher, self.children, self.deadline, 90):
                    raise RuntimeError("warm-up consultations never reached indicators")
                self.kasane_warmup_s = time.perf_counter() - begin

                cpu = {c.process.pid: cpu_seconds(c.process.pid) for c in self.children}
                infra_pids = self.own_infra_pids()
                infra_cpu = {n: group_cpu_seconds(p) for n, p in infra_pids.items()}
                await post_all(
                    poster, self.kasane, concurrency=self.args.concurrency, deadline=self.deadline
                )
                await wait_visible(self.kasane, self.watcher, self.children, self.deadline)
                # CPU time, unlike wall time, hardly depends on what else the machine runs:
                # the figure to compare before/after a change on a shared machine.
                used = {n: 0.0 for n in ("intake", "indicators")}
                for c in self.children:
                    used[c.name] += cpu_seconds(c.process.pid) - cpu[c.process.pid]
                count = max(1, len(self.kasane.sent))
                self.cpu_ms = {n: used[n] / count * 1000 for n in used}
                if infra_pids:
                    self.infra_cpu_ms = {
                        n: _used_since(infra_cpu[n], self.own_infra_pids()[n]) / count * 1000
                        for n in infra_pids
                    }
            self.phase = "kasane stage breakdown"
            self.stages = await asyncio.wait_for(
                stage_breakdown(
                    service_dsn("intake", settings),
                    service_dsn("indicators", settings),
                    set(self.kasane.sent),
                ),
                30,
            )
            if self.args.open_rate > 0:
                self.phase = "kasane open loop"
                await self.run_open_loop(intakes, list(tokens.values()))
        finally:
            watching.cancel()
            await asyncio.gather(watching, return_exceptions=True)

    def own_infra_pids(self) -> dict[str, list[int]]:
        """The broker's and the database server's processes, if this run started them."""
        if self.infra.source != "local":
            return {}
        from kasane_dev.local.kafka import kafka_pid
        from kasane_dev.local.postgres import postgres_status

        state = self.args.infra_state
        broker, server = kafka_pid(state), postgres_status(state)
        if broker is None or server is None:
            return {}
        return {"kafka": [broker], "postgres": [server.pid, *children_of(server.pid)]}

    async def run_open_loop(self, intakes: list[ChildService], tokens: list[str]) -> None:
        assert self.watcher is not None
        await asyncio.sleep(2)  # the closed loop's tail (relay, sealer) settles first
        self.open = OpenLoopRecorder(self.args.open_rate, self.args.open_duration)
        clients = []
        for child in intakes:
            url = httpx.URL(child.base_url)
            clients.append(Client(url.host, url.port or 80, tokens, timeout_s=30))
        try:
            await open_loop(clients, self.open, self.watcher, self.deadline)
        finally:
            for client in clients:
                await client.close()
        wanted = set(self.open.due)
        for _ in range(int(min(60.0, self.deadline.remaining()) / 0.05)):
            if wanted <= self.watcher.seen.keys():
                break
            await asyncio.sleep(0.05)

    async def cleanup(self) -> None:
        await remove_run(
            self.settings,
            self.infra.source,
            self.children,
            databases=[self.pg.database],
            topics=[self.kafka.topic, self.kafka_signed.topic],
        )

    def results(self) -> dict[str, Any]:
        watcher = self.watcher
        return {
            "raw_kafka": self.kafka.summary() if self.kafka.produced else None,
            "raw_kafka_signed": (
                self.kafka_signed.summary() if self.kafka_signed.produced else None
            ),
            "signing": self.signing,
            "raw_asyncpg": self.pg.summary() if self.pg.insert_s or self.pg.errors else None,
            "kasane": (
                {
                    **self.kasane.summary(watcher.seen),
                    "warmup_s": self.kasane_warmup_s,
                    "stages": self.stages,
                    "visibility": watcher.stats(),
                }
                if watcher is not None and (self.kasane.sent or self.kasane.errors)
                else None
            ),
            "open_loop": (
                self.open.summary(watcher.seen)
                if watcher is not None and self.open is not None
                else None
            ),
            "replicas": self.args.replicas,
            "max_in_flight_per_replica": self.max_in_flight,
            "service_cpu_ms_per_consultation": self.cpu_ms,
            "infra_cpu_ms_per_consultation": self.infra_cpu_ms,
            "pids": self.pids,
            "phase_reached": self.phase,
        }


async def run_bench(
    args: argparse.Namespace, settings: Settings, infra: TestInfra, deadline: Deadline
) -> dict[str, Any]:
    bench = Bench(args, settings, infra)
    error: str | None = None
    # SIGTERM stops the run like Ctrl-C (asyncio.run cancels this task on SIGINT).
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        # Phases stop on their own at the deadline; this is the backstop if one hangs.
        async with asyncio.timeout(deadline.remaining() + 30):
            await bench.run(deadline)
    except TimeoutError:
        error = f"hard timeout in phase {bench.phase!r}"
    except asyncio.CancelledError:
        error = f"interrupted in phase {bench.phase!r}"  # report what was measured so far
    except Exception as exc:
        traceback.print_exc()
        error = f"{type(exc).__name__}: {exc} (phase {bench.phase!r})"
    finally:
        # Runs on Ctrl-C too: asyncio.run cancels this task and waits for it.
        await asyncio.shield(bench.cleanup())
        asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
    results = bench.results()
    if error:
        results["error"] = error
    return results


def _used_since(before: dict[int, float], pids: list[int]) -> float:
    # Backends that ended during the phase took their CPU time with them (the services'
    # pools keep theirs open); ones that started during it count from zero.
    now = group_cpu_seconds(pids)
    return sum(t - before.get(pid, 0.0) for pid, t in now.items())


# Issue 19's goals, printed next to the figures (never asserted).
GOAL_E2E_PER_S = 500.0
GOAL_POST_P99_MS = 50.0
GOAL_VISIBLE_P99_MS = 250.0


def render_open_loop(results: dict[str, Any]) -> str:
    lines = [f"replicas of intake and indicators: {results.get('replicas', 1)}"]
    kasane = results.get("kasane") or {}
    if kasane:
        e2e = kasane.get("throughput_per_s", float("nan"))
        ok = "yes" if e2e >= GOAL_E2E_PER_S else "NO"
        lines.append(f"closed loop e2e {e2e:.1f}/s (goal >= {GOAL_E2E_PER_S:.0f}/s: {ok})")
    cpu = results.get("service_cpu_ms_per_consultation")
    if cpu:
        lines.append(
            "service CPU per consultation (closed loop, all replicas): "
            + ", ".join(f"{n} {ms:.2f} ms" for n, ms in cpu.items())
        )
    infra = results.get("infra_cpu_ms_per_consultation")
    if infra:
        lines.append(
            "infra CPU per consultation (closed loop, own local stack): "
            + ", ".join(f"{n} {ms:.2f} ms" for n, ms in infra.items())
        )
    o = results.get("open_loop")
    if not o:
        return "\n".join(lines)
    post, vis, late = o["post_latency"], o["visible_latency"], o["client_send_lateness"]
    lines += [
        f"open loop at {o['offered_per_s']:.0f}/s for {o['duration_s']:.0f} s: "
        f"{o['requests']} requests, statuses {o['statuses']}, accepted "
        f"{o['accepted_per_s']:.1f}/s, visible {o['visible']} (missing {o['missing']})",
        f"  POST (from due time)     p50 {post['p50_ms']:.1f}  p95 {post['p95_ms']:.1f}  "
        f"p99 {post['p99_ms']:.1f}  max {post['max_ms']:.1f} ms "
        f"(goal p99 <= {GOAL_POST_P99_MS:.0f}: "
        f"{'yes' if post['p99_ms'] <= GOAL_POST_P99_MS else 'NO'})",
        f"  visible in indicators    p50 {vis['p50_ms']:.1f}  p95 {vis['p95_ms']:.1f}  "
        f"p99 {vis['p99_ms']:.1f}  max {vis['max_ms']:.1f} ms "
        f"(goal p99 <= {GOAL_VISIBLE_P99_MS:.0f}: "
        f"{'yes' if vis['p99_ms'] <= GOAL_VISIBLE_P99_MS else 'NO'})",
        f"  client sent late         p50 {late['p50_ms']:.1f}  p99 {late['p99_ms']:.1f} ms",
    ]
    return "\n".join(lines)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Outside the event loop (infra start/stop) SIGTERM acts like Ctrl-C too.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    begin = time.perf_counter()
    deadline = Deadline.after(args.timeout)
    run_id = uuid.uuid4().hex[:8]
    stamp = datetime.now().astimezone().strftime("%Y%m%dT%H%M%S")
    results: dict[str, Any] = {
        "benchmark": "consultations",
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "run_id": run_id,
        "n": args.n,
        "concurrency": args.concurrency,
        "replicas": args.replicas,
        "load_average_at_start": os.getloadavg(),
        "timeout_s": args.timeout,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "status": "incomplete",
    }

    def report(line: str) -> None:
        print(f"[infra] {line}", flush=True)

    try:
        with test_infra(args.infra_state, report=report) as infra:
            results["infra_source"] = infra.source
            settings = configure(infra, run_id, args.out / f"run-{stamp}-{run_id}")
            results["outbox_poll_interval_s"] = settings.outbox_poll_interval_s
            print(f"[bench] infra ready ({infra.source}) after "
                  f"{time.perf_counter() - begin:.1f}s; run {run_id}", flush=True)  # fmt: skip
            results.update(asyncio.run(run_bench(args, settings, infra, deadline)))
            signal.signal(signal.SIGTERM, _raise_interrupt)  # the loop reset it to default
    except KeyboardInterrupt:
        results["error"] = "interrupted"
    except Exception as exc:
        traceback.print_exc()
        results["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        kasane = results.get("kasane") or {}
        complete = kasane.get("visible") == args.n and not results.get("error")
        results["status"] = "complete" if complete else "incomplete"
        results["timed_out"] = deadline.passed()
        results["ratios"] = ratios(results)
        results["total_s"] = time.perf_counter() - begin
        path = args.out / f"consultations-{stamp}.json"
        write_json(results, path)
        print()
        print(render(results))
        print(render_open_loop(results))
        print(f"\nJSON: {path}")
    return 0 if results["status"] == "complete" else 1


if __name__ == "__main__":
    raise SystemExit(main())
