"""Indicator rules with no I/O: 年度 of instants and dates, the API's fiscal-year range."""

from __future__ import annotations

from datetime import date, datetime

from kasane.clock import JST
from kasane.fiscal_year import fiscal_year_bounds, fiscal_year_of

MIN_FISCAL_YEAR = 2000
MAX_FISCAL_YEAR = 2100


def fiscal_year_of_instant(at: datetime) -> int:
    # 年度 follows the Japanese calendar date, not UTC: 2026-03-31T23:30+09:00 is FY2025.
    return fiscal_year_of(at.astimezone(JST).date())


def jst_date(at: datetime) -> date:
    return at.astimezone(JST).date()


def as_of_date(fiscal_year: int, today: date) -> date:
    """The day a year's stock figures (plans active, referrals overdue) are taken on:
    the last day of a past year, today for the current one, the first day of a future one."""
    first, last = fiscal_year_bounds(fiscal_year)
    return max(first, min(last, today))


def fiscal_months(fiscal_year: int) -> list[str]:
    """``YYYY-MM`` from April to March."""
    months = [f"{fiscal_year}-{m:02d}" for m in range(4, 13)]
    return months + [f"{fiscal_year + 1}-{m:02d}" for m in range(1, 4)]
