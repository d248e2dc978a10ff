"""A tiny text progress bar (no dependency): ``label [#####-----]  50% (120/240)``."""

from __future__ import annotations

from typing import TextIO


def render(label: str, done: int, total: int, width: int = 30) -> str:
    share = 1.0 if total <= 0 else min(done / total, 1.0)
    filled = int(share * width)
    return (
        f"{label} [{'#' * filled}{'-' * (width - filled)}] {int(share * 100):3d}% ({done}/{total})"
    )


class ProgressBar:
    """Redraws in place on a terminal; elsewhere (a log, a pipe) prints every 10 %."""

    def __init__(self, label: str, total: int, stream: TextIO) -> None:
        self.label, self.total, self.stream = label, total, stream
        self.done = 0
        self._tty = stream.isatty()
        self._shown = -1

    def update(self, done: int) -> None:
        self.done = done
        percent = 100 if self.total <= 0 else done * 100 // self.total
        step = percent if self._tty else percent - percent % 10
        if step != self._shown:
            self._shown = step
            self._draw()

    def finish(self) -> None:
        self.update(self.total)
        if self._tty:
            self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        line = render(self.label, self.done, self.total)
        self.stream.write(f"\r{line}" if self._tty else f"{line}\n")
        self.stream.flush()
