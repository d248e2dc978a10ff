"""Run a coroutine from synchronous code, even when an event loop is already running.

The CLI is synchronous, but test fixtures calling the same building blocks may run inside
pytest-asyncio's loop, where asyncio.run() refuses to nest; a worker thread sidesteps that.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(make_coro: Callable[[], Coroutine[Any, Any, T]]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coro())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coro())).result()
