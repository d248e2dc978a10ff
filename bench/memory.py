"""Benchmark: resident memory of each service after the demo year.

    .venv/bin/python -m bench.memory                  # the whole demo year (--scale 1.0)
    .venv/bin/python -m bench.memory --scale 0.3

Starts real Kafka + PostgreSQL (``kasane_dev.testing.infra.test_infra``), runs the seven
services as child processes (``uvicorn``, as ``kasane up`` does) with this run's own topic
namespace and databases, reads each process's ``VmRSS`` from ``/proc/<pid>/status`` once
they are healthy, loads the demo year through the public APIs (``kasane demo``'s runner),
then reads ``VmRSS`` and the peak ``VmHWM`` again. Issue 19's goal, printed, not asserted:
≤ 120 MB resident per service after the demo year. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import sys
import time
import traceback
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.consultations import STATE, configure, remove_run
from bench.procfs import memory_kib
from bench.report import write_json
from kasane.settings import SERVICES, Settings
from kasane_dev.demo.runner import Options, run
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import TestInfra, test_infra
from kasane_dev.testing.services import ChildService, prepare_database, start_child

GOAL_MB = 120.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="demo volume factor")
    parser.add_argument("--seed", type=int, default=1, help="demo seed")
    parser.add_argument("--fiscal-year", type=int, default=2025, help="demo fiscal year")
    parser.add_argument("--timeout", type=float, default=1800.0, help="demo budget, seconds")
    parser.add_argument(
        "--infra-state",
        type=Path,
        default=Path(os.environ.get("KASANE_BENCH_STATE_DIR", STATE / "bench-infra")),
    )
    parser.add_argument("--out", type=Path, default=STATE / "bench", help="JSON results folder")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be in (0, 10]")
    return args


async def measure(
    args: argparse.Namespace, settings: Settings, children: list[ChildService]
) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k.startswith("KASANE_")}
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    for name in SERVICES:
        await prepare_database(name, settings)
        # One after another: seven interpreters booting at once on 2 cores time out.
        children.append(await start_child(name, free_port(), env, settings.log_dir / f"{name}.log"))
    started = {c.name: memory_kib(c.process.pid) for c in children}
    out = io.StringIO()
    begin = time.perf_counter()
    options = Options(seed=args.seed, fiscal_year=args.fiscal_year, scale=args.scale)
    outcome = await asyncio.wait_for(
        run(settings, {c.name: c.base_url for c in children}, options, out), args.timeout
    )
    demo_s = time.perf_counter() - begin
    await asyncio.sleep(2)  # consumers finish the year's last events
    after = {c.name: memory_kib(c.process.pid) for c in children}
    return {
        "demo_status": outcome.status,
        "demo_s": demo_s,
        "demo_matches_indicators": "✓ indicators matches the demo" in out.getvalue(),
        "services": {
            c.name: {
                "pid": c.process.pid,
                "rss_started_kib": started[c.name]["VmRSS"],
                "rss_after_demo_kib": after[c.name]["VmRSS"],
                "peak_kib": after[c.name]["VmHWM"],
            }
            for c in children
        },
    }


def render(results: dict[str, Any]) -> str:
    services = results.get("services") or {}
    header = f"{'service':<14} {'started MB':>10} {'after demo MB':>13} {'peak MB':>8}  goal"
    lines = [header, "-" * len(header)]
    for name, m in services.items():
        after = m["rss_after_demo_kib"] / 1024
        lines.append(
            f"{name:<14} {m['rss_started_kib'] / 1024:>10.1f} {after:>13.1f} "
            f"{m['peak_kib'] / 1024:>8.1f}  {'ok' if after <= GOAL_MB else 'OVER'}"
        )
    if "demo_s" in results:
        lines.append(
            f"demo year (scale {results['scale']}): {results['demo_status']} in "
            f"{results['demo_s']:.0f} s; indicators matches the demo: "
            f"{'yes' if results['demo_matches_indicators'] else 'NO'}"
        )
    if results.get("error"):
        lines.append(f"error: {results['error']}")
    return "\n".join(lines)


async def run_bench(
    args: argparse.Namespace, settings: Settings, infra: TestInfra
) -> dict[str, Any]:
    children: list[ChildService] = []
    try:
        return await measure(args, settings, children)
    except Exception as exc:
        traceback.print_exc()
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        await remove_run(settings, infra.source, children)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_id = uuid.uuid4().hex[:8]
    stamp = datetime.now().astimezone().strftime("%Y%m%dT%H%M%S")
    results: dict[str, Any] = {
        "benchmark": "memory",
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "run_id": run_id,
        "scale": args.scale,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average_at_start": os.getloadavg(),
    }
    try:
        with test_infra(args.infra_state, report=lambda s: print(f"[infra] {s}")) as infra:
            results["infra_source"] = infra.source
            settings = configure(infra, run_id, args.out / f"run-{stamp}-{run_id}")
            results.update(asyncio.run(run_bench(args, settings, infra)))
    except KeyboardInterrupt:
        results["error"] = "interrupted"
    except Exception as exc:
        traceback.print_exc()
        results["error"] = f"{type(exc).__name__}: {exc}"
    path = args.out / f"memory-{stamp}.json"
    write_json(results, path)
    print()
    print(render(results))
    print(f"\nJSON: {path}")
    return 0 if "services" in results and not results.get("error") else 1


if __name__ == "__main__":
    raise SystemExit(main())
