"""Printing the results as a table and writing them as JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bench.stats import ratio


def _num(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def _row(name: str, count: Any, wall: Any, per_s: Any, lat: dict[str, Any] | None) -> str:
    lat = lat or {}
    cells = [
        f"{name:<37}",
        f"{_num(count):>6}",
        f"{_num(wall, 2):>8}",
        f"{_num(per_s):>9}",
        *(f"{_num(lat.get(k), 1):>8}" for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")),
    ]
    return " ".join(cells)


def ratios(results: dict[str, Any]) -> dict[str, float]:
    kasane = results.get("kasane") or {}
    kafka = results.get("raw_kafka") or {}
    pg = results.get("raw_asyncpg") or {}
    e2e = kasane.get("end_to_end_latency", {})
    raw = kafka.get("produce_to_consume_latency", {})
    nan = float("nan")
    return {
        "kasane_e2e_throughput_over_raw_kafka": ratio(
            kasane.get("throughput_per_s", nan), kafka.get("throughput_per_s", nan)
        ),
        "kasane_e2e_throughput_over_raw_asyncpg_insert": ratio(
            kasane.get("throughput_per_s", nan), pg.get("throughput_per_s", nan)
        ),
        "kasane_e2e_p50_over_raw_kafka_p50": ratio(e2e.get("p50_ms", nan), raw.get("p50_ms", nan)),
        "kasane_e2e_p99_over_raw_kafka_p99": ratio(e2e.get("p99_ms", nan), raw.get("p99_ms", nan)),
    }


def render(results: dict[str, Any]) -> str:  # noqa: C901 (one table, one line per optional row)
    kasane = results.get("kasane") or {}
    kafka = results.get("raw_kafka") or {}
    pg = results.get("raw_asyncpg") or {}
    lines = [
        f"kasane bench: consultations — N={results['n']}, {results['concurrency']} in flight, "
        f"infra={results.get('infra_source', '-')}, {results['cpus']} CPUs, "
        f"status={results['status']}, run took {_num(results.get('total_s'), 1)} s",
        "",
        f"{'phase':<37} {'count':>6} {'wall s':>8} {'per s':>9} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}",
    ]
    lines.append("-" * len(lines[-1]))
    if kafka:
        lines.append(
            _row("raw kafka: produce ack (acks=all)", kafka.get("produced"), None, None,
                 kafka.get("produce_ack_latency"))
        )  # fmt: skip
        lines.append(
            _row("raw kafka: produce → consume", kafka.get("consumed"), kafka.get("wall_s"),
                 kafka.get("throughput_per_s"), kafka.get("produce_to_consume_latency"))
        )  # fmt: skip
    signed = results.get("raw_kafka_signed") or {}
    if signed:
        lines.append(
            _row("raw kafka, signed + verified: → consume", signed.get("consumed"),
                 signed.get("wall_s"), signed.get("throughput_per_s"),
                 signed.get("produce_to_consume_latency"))
        )  # fmt: skip
    if pg:
        lines.append(
            _row("raw asyncpg: INSERT + COMMIT", pg.get("inserted"), pg.get("wall_s"),
                 pg.get("throughput_per_s"), pg.get("insert_latency"))
        )  # fmt: skip
    if kasane:
        lines.append(
            _row("kasane: POST /consultations", kasane.get("posted"), kasane.get("post_wall_s"),
                 kasane.get("post_throughput_per_s"), kasane.get("post_latency"))
        )  # fmt: skip
        lines.append(
            _row("kasane: POST → visible in indicators", kasane.get("visible"),
                 kasane.get("wall_s"), kasane.get("throughput_per_s"),
                 kasane.get("end_to_end_latency"))
        )  # fmt: skip
    stages = kasane.get("stages") or {}
    for key, label in (
        ("post_tx_start_to_relay_sent", "  stage: POST tx start → relay sent"),
        ("relay_sent_to_indicators_tx_start", "  stage: relay sent → indicators tx"),
    ):
        if key in stages:
            lat = stages[key]
            lines.append(_row(label, lat.get("count"), None, None, lat))
    if stages.get("relay_marks"):
        n = stages["events"]
        lines.append(
            f"  batching: {stages['relay_marks']} relay marks "
            f"({n / stages['relay_marks']:.1f} consultations each), "
            f"{stages['indicators_transactions']} indicators transactions "
            f"({n / max(1, stages['indicators_transactions']):.1f} each)"
        )
    lines.append("")
    r = results.get("ratios") or {}
    lines += [
        "ratios (kasane end-to-end vs raw baselines, same run, same broker and server):",
        f"  throughput  kasane e2e / raw kafka produce→consume : "
        f"{_num(r.get('kasane_e2e_throughput_over_raw_kafka'), 3)}",
        f"  throughput  kasane e2e / raw asyncpg INSERT        : "
        f"{_num(r.get('kasane_e2e_throughput_over_raw_asyncpg_insert'), 3)}",
        f"  latency p50 kasane e2e / raw kafka produce→consume : "
        f"{_num(r.get('kasane_e2e_p50_over_raw_kafka_p50'), 2)}",
        f"  latency p99 kasane e2e / raw kafka produce→consume : "
        f"{_num(r.get('kasane_e2e_p99_over_raw_kafka_p99'), 2)}",
    ]
    signing = results.get("signing") or {}
    if signing:
        lines += [
            "",
            f"event signing (Ed25519 detached JWS, {signing.get('value_bytes')} B values, "
            f"{signing.get('events')} events, one core):",
            f"  sign   {_num(signing.get('sign_us_per_event'), 1)} µs/event "
            f"({_num(signing.get('sign_per_s_one_core'), 0)} /s)",
            f"  verify {_num(signing.get('verify_us_per_event'), 1)} µs/event "
            f"({_num(signing.get('verify_per_s_one_core'), 0)} /s)",
            f"  bare Ed25519 verify, same inputs: OpenSSL "
            f"{_num(signing.get('verify_openssl_us_per_event'), 1)} µs, libsodium "
            f"{_num(signing.get('verify_libsodium_us_per_event'), 1)} µs",
            f"  raw kafka produce→consume: {_num(kafka.get('throughput_per_s'), 0)} /s plain, "
            f"{_num(signed.get('throughput_per_s'), 0)} /s signed + verified",
        ]
    visibility = kasane.get("visibility") or {}
    if visibility:
        lines.append(
            f"  (visibility polled every {_num(visibility.get('poll_interval_ms'), 0)} ms, "
            f"mean poll query {_num(visibility.get('mean_poll_query_ms'), 1)} ms; "
            f"kasane warm-up {_num(kasane.get('warmup_s'), 1)} s not measured)"
        )
    if kasane.get("missing"):
        lines.append(
            f"  note: {kasane['missing']} posted consultations were not visible when the run "
            "stopped; percentiles cover the visible ones only"
        )
    if results.get("timed_out") and results.get("status") != "complete":
        lines.append(f"  note: stopped at the --timeout budget ({results.get('timeout_s')} s)")
    for phase in ("raw_kafka", "raw_asyncpg", "kasane"):
        samples = (results.get(phase) or {}).get("error_samples") or []
        for sample in samples:
            lines.append(f"  {phase} error: {sample}")
    if results.get("error"):
        lines.append(f"  error: {results['error']}")
    return "\n".join(lines)


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def write_json(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_jsonable(results), indent=2, ensure_ascii=False) + "\n")
