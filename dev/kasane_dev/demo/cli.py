"""`kasane demo [--seed N] [--fiscal-year 2025] [--scale 1.0] [--base-url-host 127.0.0.1]`."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from kasane.settings import Settings
from kasane_dev.demo.client import base_urls
from kasane_dev.demo.runner import DemoError, Options, run

__all__ = ["DemoError", "add_parser"]


def _positive(text: str) -> float:
    value = float(text)
    if not 0 < value <= 10:
        raise argparse.ArgumentTypeError("scale must be in (0, 10]")
    return value


def add_parser(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="load a fictional fiscal year of 久留米市 through the services' APIs",
        description="Fill the running stack with a clearly fictional fiscal year (persons, "
        "consultations, referrals, meetings, plans, watch visits, a survey) through the "
        "public APIs, then check that indicators reports the same figures. Safe to run "
        "twice: a loaded demo is detected and left alone.",
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
    demo.add_argument("--fiscal-year", type=int, default=2025, help="年度 (default 2025)")
    demo.add_argument("--scale", type=_positive, default=1.0, help="volume factor (default 1.0)")
    demo.add_argument(
        "--base-url-host", default="127.0.0.1", help="where the services listen (default 127.0.0.1)"
    )
    demo.add_argument("--workers", type=int, default=8, help="concurrent requests (default 8)")
    demo.set_defaults(handler=_cmd_demo)


def _cmd_demo(settings: Settings, args: argparse.Namespace) -> None:
    options = Options(
        seed=args.seed, fiscal_year=args.fiscal_year, scale=args.scale, workers=args.workers
    )
    asyncio.run(run(settings, base_urls(args.base_url_host), options))
