"""The rebuild's progress bar: redrawn on a terminal, every 10 % elsewhere."""

from __future__ import annotations

import io

from indicators.usecases.progress_bar import ProgressBar, render


class _Stream(io.StringIO):
    def isatty(self) -> bool:
        return False


def test_progress_bar_prints_every_ten_percent_off_a_terminal() -> None:
    assert render("t", 5, 10, width=10) == "t [#####-----]  50% (5/10)"
    assert render("t", 0, 0, width=4) == "t [####] 100% (0/0)"
    stream = _Stream()
    bar = ProgressBar("topic", 100, stream)
    for i in range(101):
        bar.update(i)
    bar.finish()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11 and lines[-1].endswith("100% (100/100)")
