"""What every step of a run shares: the HTTP client, the journal, the plan, phases."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TextIO, TypeVar

from kasane_dev.demo.client import Http
from kasane_dev.demo.journal import Journal
from kasane_dev.demo.model import DemoPlan
from kasane_dev.demo.progress import Progress

T = TypeVar("T")


@dataclass
class Context:
    http: Http
    journal: Journal
    plan: DemoPlan
    today: date
    out: TextIO
    workers: int = 8
    _saved_at: float = 0.0

    async def once(self, key: str, make: Callable[[], Awaitable[str]]) -> str:
        """The id a step produced, from the journal if it already ran."""
        found = self.journal.get(key)
        if found is not None:
            return found
        self.journal.pending.add(key)
        value = self.journal.put(key, await make())
        if time.monotonic() - self._saved_at > 1.0:  # a hard kill loses a second at most
            self.journal.save()
            self._saved_at = time.monotonic()
        return value

    def id(self, key: str) -> str:
        found = self.journal.get(key)
        if found is None:
            raise KeyError(f"demo step {key!r} has not run")
        return found

    async def phase(
        self, label: str, items: Iterable[T], work: Callable[[T], Awaitable[None]]
    ) -> float:
        """Run ``work`` on every item with a few workers; one progress bar per phase."""
        todo = list(items)
        bar = Progress(label, len(todo), self.out)
        queue: asyncio.Queue[T] = asyncio.Queue()
        for item in todo:
            queue.put_nowait(item)

        async def worker() -> None:
            while not queue.empty():
                item = queue.get_nowait()
                await work(item)
                bar.advance()

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(min(self.workers, len(todo)) or 1):
                    group.create_task(worker())
        finally:
            self.journal.save()
        return bar.finish()
