"""Inline SVG charts rendered on the server (no JavaScript, no CDN: the city's network may
have no internet). Every label is escaped; numbers are printed next to their bars so the
chart is readable without hovering."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

FONT = "'Noto Sans CJK JP','Noto Sans JP',sans-serif"
BAR = "#2f6fb3"
BAR_DONE = "#2e8b57"
GRID = "#d0d7de"


def _fmt(value: float | int | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):  # rates and progress: always one decimal (64.0%)
        return f"{value:,.1f}{unit}"
    return f"{int(value):,}{unit}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    nice = ((int(value) // step) + 1) * step
    return float(-(-nice // 4) * 4)  # a multiple of 4: the quarter grid lines stay whole


def _svg(width: int, height: int, label: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'font-family="{FONT}" font-size="13">{body}</svg>'
    )


def progress_bars(items: Sequence[tuple[str, float | None, str]], label: str) -> str:
    """One bar per indicator: progress in percent against a dashed 100 % (target) line."""
    left, width, row = 330, 360, 30
    scale_max = max([120.0, *[p for _, p, _ in items if p is not None]])
    height = 30 + row * len(items)
    target_x = left + width * 100 / scale_max
    parts = [
        f'<text x="{target_x:.1f}" y="14" text-anchor="middle" fill="#555">目標 100%</text>',
        f'<line x1="{target_x:.1f}" y1="20" x2="{target_x:.1f}" y2="{height - 4}" '
        f'stroke="#c0392b" stroke-dasharray="4 3"/>',
    ]
    for i, (name, progress, caption) in enumerate(items):
        y = 24 + i * row
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{width}" height="18" fill="#eef2f6"/>'
        )
        if progress is not None:
            w = max(0.0, width * min(progress, scale_max) / scale_max)
            color = BAR_DONE if progress >= 100 else BAR
            parts.append(
                f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="18" fill="{color}"/>'
            )
        parts.append(f'<text x="{left + width + 8}" y="{y + 15}">{escape(caption)}</text>')
    return _svg(left + width + 270, height, label, "".join(parts))


def column_chart(
    labels: Sequence[str], values: Sequence[float | int], label: str, unit: str = ""
) -> str:
    """Vertical bars, e.g. one per month from April to March."""
    left, top, plot_h, col = 50, 20, 160, 46
    top_value = _nice_max(max(values, default=0))
    width = left + col * len(labels) + 10
    parts = []
    for tick in range(5):
        v = top_value * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#555">{_fmt(int(v) if v.is_integer() else v)}</text>'
        )
    for i, (name, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top_value
        x = left + i * col + 8
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x}" y="{y:.1f}" width="{col - 16}" height="{h:.1f}" fill="{BAR}">'
            f"<title>{escape(name)}: {_fmt(value, unit)}</title></rect>"
            f'<text x="{x + (col - 16) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="11">{_fmt(value)}</text>'
            f'<text x="{x + (col - 16) / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'font-size="12">{escape(name)}</text>'
        )
    return _svg(width, top + plot_h + 26, label, "".join(parts))


def hbar_chart(items: Sequence[tuple[str, float | int]], label: str, unit: str = "") -> str:
    """Horizontal bars, e.g. consultations per agency."""
    left, width, row = 250, 320, 24
    top_value = _nice_max(max((v for _, v in items), default=0))
    height = 10 + row * max(1, len(items))
    parts = []
    if not items:
        parts.append('<text x="10" y="22" fill="#555">データがありません</text>')
    for i, (name, value) in enumerate(items):
        y = 6 + i * row
        w = width * value / top_value
        parts.append(
            f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{escape(name)}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="16" fill="{BAR}"/>'
            f'<text x="{left + w + 6:.1f}" y="{y + 14}">{_fmt(value, unit)}</text>'
        )
    return _svg(left + width + 90, height, label, "".join(parts))
