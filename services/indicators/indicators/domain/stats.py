"""Small statistics, exact where it matters: percentages, Wilson intervals, percentiles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Z_95 = 1.959963984540054  # two-sided 95 % normal quantile


def round1(value: Fraction | float) -> float:
    """One decimal, half up, as a municipal table prints it (64.05 → 64.1)."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(value))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else round1(Fraction(100 * part, whole))


def wilson_interval(yes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """95 % Wilson score interval of yes / n, in percent with one decimal."""
    if n <= 0 or not 0 <= yes <= n:
        raise ValueError("need 0 <= yes <= n and n > 0")
    p = yes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return round1(max(0.0, centre - half) * 100), round1(min(1.0, centre + half) * 100)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
