"""`kasane indicators rebuild`: drop the indicators read model and replay every topic.

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
    from indicators.usecases.rebuild import PRODUCERS
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
        report = asyncio.run(rebuild(dsn, kafka, verifier, ns, stream=sys.stdout))
    except (OSError, ConnectionError) as exc:
        raise IndicatorsCommandError(f"rebuild rolled back, old figures kept: {exc}") from exc
    except Exception as exc:
        if type(exc).__module__.startswith(("aiokafka", "asyncpg")):
            raise IndicatorsCommandError(f"rebuild rolled back, old figures kept: {exc}") from exc
        raise
    print(
        f"done: {report.applied} events applied, {report.duplicates} duplicates, "
        f"{report.skipped} skipped (dead-lettered by the live consumer)",
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
        "rebuild", help="drop the read model and replay every topic from offset 0"
    )
    rebuild.set_defaults(handler=_cmd_rebuild)
