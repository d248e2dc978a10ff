"""A plain-text progress bar (no dependency): redrawn in place on a terminal, and printed
once at the end of each phase otherwise, so logs and CI output stay short."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28


class Progress:
    def __init__(self, label: str, total: int, out: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self._out = out or sys.stdout
        self._tty = self._out.isatty()
        self._start = time.monotonic()
        self._last_draw = 0.0
        self._draw(force=True)

    def line(self) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = round(WIDTH * share)
        bar = "#" * filled + "-" * (WIDTH - filled)
        elapsed = time.monotonic() - self._start
        return f"  {self.label:<28} [{bar}] {self.done:>5}/{self.total:<5} {elapsed:6.1f}s"

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self._tty:
            return
        now = time.monotonic()
        if force or now - self._last_draw > 0.1 or self.done >= self.total:
            self._out.write("\r" + self.line())
            self._out.flush()
            self._last_draw = now

    def finish(self) -> float:
        elapsed = time.monotonic() - self._start
        if self._tty:
            self._out.write("\r" + self.line() + "\n")
        else:
            self._out.write(self.line() + "\n")
        self._out.flush()
        return elapsed
