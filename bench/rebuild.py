"""Benchmark: `kasane indicators rebuild` and the live consumer's inbox, against raw aiokafka.

    .venv/bin/python -m bench.rebuild --n 20000

One run, one broker, one database server (``kasane_dev.testing.infra.test_infra``, as the
other benches): ``--n`` signed ``intake.ConsultationReceived`` events (as intake's relay
publishes them) are put on the run's intake topic, then

1. **raw**: a plain aiokafka consumer (no group) reads the topic from offset 0 and
   ``json.loads`` every value — the ceiling the rebuild is compared with;
2. **raw + verify + parse**: the same read, each record through ``kasane.bus.reading.read``
   with indicators' verifier (Ed25519 signature, then the envelope parse), no database —
   what any replay that keeps the verification rule costs before writing anything;
3. **live**: indicators' live subscriber path (``EventConsumer.process_batch``, batches of
   200, with its verified log, as the service runs it) over the whole topic into the
   indicators database the rebuild then replaces — so the rebuild finds what it finds in
   production: the subscriber's model and its verified-log checkpoints;
4. **rebuild**: ``indicators.usecases.rebuild.rebuild`` into that database, as the CLI runs it
   (progress on stderr; signatures vouched for by the checkpoints are not checked again);
   then with ``trust_checkpoints=False`` (``--verify-all``: every signature checked, the
   rule before checkpoints); then without the signature check (``verifier=None``, which the
   command never does), to split the cost;
5. **consumer, per record vs batched**: an ``EventConsumer`` with indicators' own dispatcher
   on a fresh database each, fed the topic in batches of 200 (the subscriber's
   ``MAX_RECORDS``) by aiokafka ``getmany``: once calling ``process`` on each record (one
   inbox transaction per event, the path before batching), once ``process_batch`` (one per
   batch). Throughput, and the time to handle one batch (p50/p95/p99).

Prints a table, writes ``.kasane/bench/rebuild-<time>.json``. Never asserts on timings.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from bench.consultations import STATE, configure, delete_topics, drop_databases
from bench.report import write_json
from bench.stats import latency_ms, rate, ratio
from bench.workload import agency_ids
from indicators.handlers import dispatch
from indicators.usecases.rebuild import PRODUCERS, rebuild
from kasane.bus.consumer import EventConsumer
from kasane.bus.credentials import ADMIN, KafkaAccess, kafka_access
from kasane.bus.dead_letter import DeadLetter, DeadLetterPublisher, LetterForm
from kasane.bus.inbox import Delivery
from kasane.bus.reading import Rejected, read
from kasane.bus.signing import signer_for, verifier_for
from kasane.bus.verified_log import VerifiedLog
from kasane.events import wrap
from kasane.events.intake import ConsultationReceived
from kasane.events.topics import topic_for
from kasane.ids import uuid7
from kasane.settings import SERVICES, Settings
from kasane_dev.testing.infra import test_infra
from kasane_dev.testing.services import prepare_database

CONSUMER_BATCH = 200  # kasane.bus.subscription.MAX_RECORDS


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.rebuild", description=__doc__)
    parser.add_argument("--n", type=int, default=20000, help="events on the topic")
    parser.add_argument(
        "--consumer-n", type=int, default=5000, help="events the consumer phases handle"
    )
    parser.add_argument(
        "--infra-state",
        type=Path,
        default=Path(os.environ.get("KASANE_BENCH_STATE_DIR", STATE / "bench-infra")),
    )
    parser.add_argument("--out", type=Path, default=STATE / "bench", help="JSON results folder")
    args = parser.parse_args(argv)
    if args.n < 1 or args.consumer_n < 1:
        parser.error("--n and --consumer-n must be at least 1")
    return args


def _event(i: int, agencies: Sequence[str]) -> bytes:
    contract = ConsultationReceived(
        consultation_id=uuid7(),
        agency_id=agencies[i % len(agencies)],
        received_at=datetime(2024 + i % 3, 7, 1, 0, 0, tzinfo=UTC),
        channel="phone",
        issue_codes=["poverty", "8050"],
        age_band="40-49",
        school_district_code="02",
        is_complex=i % 5 == 0,
    )
    envelope = wrap(
        contract, producer="intake", municipality_code="402036", agency_id=contract.agency_id
    )
    return envelope.to_bytes()


async def produce_events(settings: Settings, topic: str, n: int) -> int:
    signer = signer_for(settings, "intake")
    producer = AIOKafkaProducer(
        **kafka_access(settings, ADMIN).client_kwargs(),
        acks="all",
        linger_ms=20,
        max_batch_size=512 * 1024,
    )
    await producer.start()
    size = 0
    try:
        pending = []
        agencies = agency_ids()
        for i in range(n):
            value = _event(i, agencies)
            size = len(value)
            key = f"case-{i % 997}".encode()
            pending.append(
                await producer.send(topic, value=value, key=key, headers=signer.headers(value))
            )
            if len(pending) >= 5000:
                await asyncio.gather(*pending)
                pending = []
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return size


async def read_all(
    access: KafkaAccess,
    topic: str,
    on_batch: Callable[[list[Any]], Awaitable[None]],
    max_records: int,
    limit: int | None = None,
) -> int:
    """Feed ``topic`` from offset 0 to its end offsets to ``on_batch``; records seen."""
    consumer = AIOKafkaConsumer(
        topic,  # subscribing loads the topic's metadata (its partitions)
        **access.client_kwargs(),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=16 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        end = await consumer.end_offsets(tps)
        consumer.unsubscribe()
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        seen = 0
        remaining = [tp for tp in tps if end[tp] > 0]
        while remaining and (limit is None or seen < limit):
            fetched = await consumer.getmany(*remaining, timeout_ms=1000, max_records=max_records)
            for records in fetched.values():
                if limit is not None:
                    records = records[: limit - seen]
                if records:
                    await on_batch(records)
                    seen += len(records)
            remaining = [tp for tp in remaining if await consumer.position(tp) < end[tp]]
        return seen
    finally:
        await consumer.stop()


def _delivery(r: Any) -> Delivery:
    return Delivery(r.topic, r.partition, r.offset, r.key, r.value or b"", tuple(r.headers or ()))


async def measure_raw(access: KafkaAccess, topic: str) -> dict[str, Any]:
    async def parse(records: list[Any]) -> None:
        for r in records:
            json.loads(r.value)

    begin = time.perf_counter()
    seen = await read_all(access, topic, parse, max_records=5000)
    wall = time.perf_counter() - begin
    return {"events": seen, "wall_s": wall, "events_per_s": rate(seen, wall)}


async def measure_raw_read(access: KafkaAccess, settings: Settings, topic: str) -> dict[str, Any]:
    verifier = verifier_for(settings, {topic: "intake"})
    rejected = 0

    async def judge(records: list[Any]) -> None:
        nonlocal rejected
        for r in records:
            if isinstance(read(dispatch.registry, _delivery(r), verifier), Rejected):
                rejected += 1

    begin = time.perf_counter()
    seen = await read_all(access, topic, judge, max_records=5000)
    wall = time.perf_counter() - begin
    return {"events": seen, "rejected": rejected, "wall_s": wall, "events_per_s": rate(seen, wall)}


async def measure_rebuild(
    settings: Settings, verify: bool = True, trust_checkpoints: bool = True
) -> dict[str, Any]:
    dsn = await prepare_database("indicators", settings)
    ns = settings.topic_namespace
    verifier = verifier_for(settings, {topic_for(p, ns): p for p in PRODUCERS})
    begin = time.perf_counter()
    report = await rebuild(
        dsn,
        kafka_access(settings, "indicators"),
        verifier if verify else None,
        ns,
        stream=sys.stderr,
        trust_checkpoints=trust_checkpoints,
    )
    wall = time.perf_counter() - begin
    conn = await asyncpg.connect(dsn)
    try:
        facts = await conn.fetchval("SELECT count(*) FROM consultation_facts")
    finally:
        await conn.close()
    return {
        "records": report.records,
        "applied": report.applied,
        "duplicates": report.duplicates,
        "skipped": report.skipped,
        "signatures_vouched_by_checkpoints": report.trusted,
        "consultation_facts_after": int(facts),
        "wall_s": wall,
        "events_per_s": rate(report.records, wall),
        "phase_s": report.phase_s,
        "replay_events_per_s": rate(report.records, report.phase_s.get("replay", 0.0)),
    }


class _NoLetters(DeadLetterPublisher):
    def __init__(self) -> None:
        self.letters: list[DeadLetter] = []

    async def send(self, letter: DeadLetter) -> LetterForm:
        self.letters.append(letter)
        return "whole"


async def measure_consumer(
    settings: Settings,
    topic: str,
    n: int | None,
    batched: bool,
    suffix: str,
    verified_log: bool = False,
) -> dict[str, Any]:
    """The live subscriber's path over ``topic`` (``n`` events, or all), into indicators'
    database with ``suffix`` ("": the database the rebuild phases use, which it leaves)."""
    own = settings.model_copy(update={"database_suffix": f"{settings.database_suffix}{suffix}"})
    dsn = await prepare_database("indicators", own)
    pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
    assert pool is not None
    letters = _NoLetters()
    consumer = EventConsumer(
        name="indicators",
        registry=dispatch.registry,
        pool=pool,
        dead_letters=letters,
        handler=dispatch,
        verifier=verifier_for(settings, {topic: "intake"}),
        verified_log=VerifiedLog("indicators") if verified_log else None,
    )
    batch_s: list[float] = []

    async def handle(records: list[Any]) -> None:
        deliveries = [_delivery(r) for r in records]
        begin = time.perf_counter()
        if batched:
            await consumer.process_batch(deliveries)
        else:
            for d in deliveries:
                await consumer.process(d)
        batch_s.append(time.perf_counter() - begin)

    try:
        begin = time.perf_counter()
        seen = await read_all(
            kafka_access(settings, ADMIN), topic, handle, max_records=CONSUMER_BATCH, limit=n
        )
        wall = time.perf_counter() - begin
        facts = await pool.fetchval("SELECT count(*) FROM consultation_facts")
    finally:
        await pool.close()
        if suffix:
            with contextlib.suppress(Exception):
                await drop_databases(settings.database_url, [f"indicators{own.database_suffix}"])
    mode = "process_batch" if batched else "process (one transaction per event)"
    return {
        "mode": mode + (" + verified log" if verified_log else ""),
        "events": seen,
        "applied": int(facts),
        "dead_lettered": len(letters.letters),
        "batches": len(batch_s),
        "wall_s": wall,
        "events_per_s": rate(seen, wall),
        "batch_latency": latency_ms(batch_s).as_dict(),
    }


def render(results: dict[str, Any]) -> str:
    def num(v: Any, d: int = 0) -> str:
        return "-" if v is None else f"{v:,.{d}f}"

    lines = [f"{'phase':<44} {'events':>8} {'wall s':>8} {'events/s':>10}"]
    for key, label in (
        ("raw", "raw aiokafka consume + json.loads"),
        ("raw_read", "raw + kasane read (verify + parse), no DB"),
        ("live", "live subscriber (batches of 200, verified log)"),
        ("rebuild", "kasane indicators rebuild"),
        ("rebuild_verify_all", "rebuild --verify-all (every signature)"),
        ("rebuild_unverified", "rebuild, signature check off (breakdown)"),
    ):
        r = results.get(key) or {}
        lines.append(
            f"{label:<44} {num(r.get('events', r.get('records'))):>8}"
            f" {num(r.get('wall_s'), 2):>8} {num(r.get('events_per_s')):>10}"
        )
    for key in ("rebuild", "rebuild_verify_all", "rebuild_unverified"):
        phases = (results.get(key) or {}).get("phase_s") or {}
        if phases:
            steps = ", ".join(f"{k} {v:.2f} s" for k, v in phases.items())
            replay = results[key].get("replay_events_per_s")
            lines.append(f"  {key}: {steps}; replay step alone {num(replay)} events/s")
    lines.append("")
    lines.append(f"{'consumer':<44} {'events':>8} {'events/s':>10} {'batch p50/p95/p99 ms':>22}")
    for key in ("consumer_per_record", "consumer_batched", "live"):
        r = results.get(key) or {}
        lat = r.get("batch_latency") or {}
        lines.append(
            f"{r.get('mode', key):<44} {num(r.get('events')):>8} {num(r.get('events_per_s')):>10}"
            f" {num(lat.get('p50_ms'), 1):>6} / {num(lat.get('p95_ms'), 1)}"
            f" / {num(lat.get('p99_ms'), 1)}"
        )
    ratios = results.get("ratios") or {}
    lines.append("")
    for name, value in ratios.items():
        lines.append(f"{name:<44} {value:.3f}")
    return "\n".join(lines)


async def run(args: argparse.Namespace, settings: Settings, results: dict[str, Any]) -> None:
    ns = settings.topic_namespace
    topic = topic_for("intake", ns)
    admin = kafka_access(settings, ADMIN)
    print(f"[bench] producing {args.n} signed events to {topic}", flush=True)
    results["event_bytes"] = await produce_events(settings, topic, args.n)
    print("[bench] raw aiokafka consume + parse", flush=True)
    results["raw"] = await measure_raw(admin, topic)
    print("[bench] raw + verify + parse", flush=True)
    results["raw_read"] = await measure_raw_read(admin, settings, topic)
    # The database a rebuild replaces has been fed by the live subscriber, which kept its
    # verified-log checkpoints; the rebuild checks its digests against them.
    print("[bench] live subscriber over the topic (verified log on)", flush=True)
    results["live"] = await measure_consumer(
        settings, topic, None, batched=True, suffix="", verified_log=True
    )
    print("[bench] kasane indicators rebuild", flush=True)
    results["rebuild"] = await measure_rebuild(settings)
    print("[bench] rebuild --verify-all (every signature checked again)", flush=True)
    results["rebuild_verify_all"] = await measure_rebuild(settings, trust_checkpoints=False)
    # Breakdown only (the command always verifies): the same rebuild without the signature
    # check shows what the replay machinery costs apart from Ed25519.
    print("[bench] rebuild again, signature check off (breakdown only)", flush=True)
    results["rebuild_unverified"] = await measure_rebuild(settings, verify=False)
    print("[bench] consumer: one transaction per event", flush=True)
    results["consumer_per_record"] = await measure_consumer(
        settings, topic, args.consumer_n, batched=False, suffix="_c1"
    )
    print("[bench] consumer: one transaction per batch", flush=True)
    results["consumer_batched"] = await measure_consumer(
        settings, topic, args.consumer_n, batched=True, suffix="_c2"
    )


def _ratios(results: dict[str, Any]) -> dict[str, float]:
    def per_s(key: str) -> float:
        return float((results.get(key) or {}).get("events_per_s", float("nan")))

    return {
        "rebuild / raw consume+parse": ratio(per_s("rebuild"), per_s("raw")),
        "rebuild replay step / raw consume+parse": ratio(
            float((results.get("rebuild") or {}).get("replay_events_per_s", float("nan"))),
            per_s("raw"),
        ),
        "rebuild --verify-all / raw consume+parse": ratio(
            per_s("rebuild_verify_all"), per_s("raw")
        ),
        "rebuild / raw+verify+parse": ratio(per_s("rebuild"), per_s("raw_read")),
        "rebuild unverified / raw consume+parse": ratio(per_s("rebuild_unverified"), per_s("raw")),
        "consumer batched / per record": ratio(
            per_s("consumer_batched"), per_s("consumer_per_record")
        ),
    }


async def _cleanup(settings: Settings, source: str) -> None:
    s = settings
    with contextlib.suppress(Exception):
        await asyncio.wait_for(
            drop_databases(s.database_url, [f"{n}{s.database_suffix}" for n in SERVICES]), 30
        )
    if source == "environment":
        with contextlib.suppress(Exception):
            topics = [topic_for(n, s.topic_namespace) for n in SERVICES]
            await asyncio.wait_for(delete_topics(kafka_access(s, ADMIN), topics), 30)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_id = uuid.uuid4().hex[:8]
    stamp = datetime.now().astimezone().strftime("%Y%m%dT%H%M%S")
    results: dict[str, Any] = {
        "benchmark": "rebuild",
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "run_id": run_id,
        "n": args.n,
        "consumer_n": args.consumer_n,
        "cpus": os.cpu_count(),
        "load_avg_at_start": os.getloadavg(),
        "python": sys.version.split()[0],
    }
    try:
        with test_infra(args.infra_state, report=lambda line: print(f"[infra] {line}")) as infra:
            results["infra_source"] = infra.source
            settings = configure(infra, run_id, args.out / f"run-{stamp}-{run_id}")

            async def go() -> None:
                try:
                    await run(args, settings, results)
                finally:
                    await asyncio.shield(_cleanup(settings, infra.source))

            asyncio.run(go())
    except KeyboardInterrupt:
        results["error"] = "interrupted"
    except Exception as exc:
        traceback.print_exc()
        results["error"] = f"{type(exc).__name__}: {exc}"
    results["load_avg_at_end"] = os.getloadavg()
    results["ratios"] = _ratios(results)
    path = args.out / f"rebuild-{stamp}.json"
    write_json(results, path)
    print()
    print(render(results))
    print(f"\nJSON: {path}")
    return 1 if results.get("error") else 0


if __name__ == "__main__":
    raise SystemExit(main())
