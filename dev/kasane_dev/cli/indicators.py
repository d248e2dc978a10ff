"""`kasane indicators rebuild`: replay every topic into a fresh read model, swapped in at once.

The work is in the indicators service package (``indicators.usecases.rebuild``); this module only
wires it into the CLI, importing it lazily so the CLI works where that service is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from kasane.settings import Settings

MAX_SKIPPED_LISTED = 100


class IndicatorsCommandError(Exception):
    """Reported like the CLI's other expected failures (one line on stderr, exit 1)."""


def _cmd_rebuild(settings: Settings, args: argparse.Namespace) -> None:
    try:
        from indicators.usecases.rebuild import rebuild
    except ImportError as exc:
        raise IndicatorsCommandError(
            "the indicators service is not installed in this environment"
        ) from exc
    from indicators.usecases.rebuild import PRODUCERS, RebuildRefused, RebuildRunning
    from kasane.bus.credentials import kafka_access
    from kasane.bus.signing import verifier_for
    from kasane.events.topics import topic_for
    from kasane.web.app import service_dsn

    dsn = service_dsn("indicators", settings)
    ns = settings.topic_namespace
    # As the indicators service itself: its principal, and the producers' public keys.
    try:
        kafka = kafka_access(settings, "indicators")
        verifier = verifier_for(settings, {topic_for(p, ns): p for p in PRODUCERS})
    except RuntimeError as exc:
        raise IndicatorsCommandError(str(exc)) from exc
    print(f"rebuilding the indicators read model from offset 0 ({settings.kafka_bootstrap})")
    try:
        # Progress on stderr: stdout keeps the result lines, for a script to read.
        report = asyncio.run(
            rebuild(
                dsn,
                kafka,
                verifier,
                ns,
                stream=sys.stderr,
                trust_checkpoints=not args.verify_all,
            )
        )
    except (RebuildRunning, RebuildRefused) as exc:
        raise IndicatorsCommandError(str(exc)) from exc
    except (OSError, ConnectionError) as exc:
        raise IndicatorsCommandError(f"rebuild rolled back, old figures kept: {exc}") from exc
    except Exception as exc:
        if type(exc).__module__.startswith(("aiokafka", "asyncpg")):
            raise IndicatorsCommandError(f"rebuild rolled back, old figures kept: {exc}") from exc
        raise
    rate = report.records / report.seconds if report.seconds > 0 else 0.0
    print(
        f"done: {report.applied} events applied, {report.duplicates} duplicates, "
        f"{report.skipped} skipped (dead-lettered by the live consumer); "
        f"{report.records} records in {report.seconds:.1f} s ({rate:,.0f} records/s); "
        f"{report.trusted} signatures vouched for by the live subscriber's checkpoints",
        flush=True,
    )
    # Where each skipped record is (its reason, never its content), so an operator can
    # find it on its topic or in the dead-letter topic; capped so a flood stays readable.
    for skipped in report.skipped_records[:MAX_SKIPPED_LISTED]:
        print(f"skipped {skipped}", flush=True)
    if report.skipped > MAX_SKIPPED_LISTED:
        print(f"… and {report.skipped - MAX_SKIPPED_LISTED} more skipped", flush=True)


def add_parser(commands: Any) -> None:
    """Add ``indicators`` (with ``rebuild``) to the ``kasane`` sub-commands."""
    indicators = commands.add_parser("indicators", help="目標・評価指標: read model maintenance")
    sub = indicators.add_subparsers(dest="indicators_command", required=True)
    rebuild = sub.add_parser(
        "rebuild",
        help="replay every topic from offset 0 into a fresh read model, swapped in at the end",
    )
    rebuild.add_argument(
        "--verify-all",
        action="store_true",
        help="check every record's signature with today's keys, ignoring the live"
        " subscriber's verified-log checkpoints (after removing a key, or when a rebuild was"
        " refused because the topics differ from what the subscriber verified)",
    )
    rebuild.set_defaults(handler=_cmd_rebuild)
