"""Indicator rules with no I/O."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from kasane.fiscal_year import fiscal_year_of

JST = timezone(timedelta(hours=9))

MIN_FISCAL_YEAR = 2000
MAX_FISCAL_YEAR = 2100


def fiscal_year_of_instant(at: datetime) -> int:
    # 年度 follows the Japanese calendar date, not UTC: 2026-03-31T23:30+09:00 is FY2025.
    return fiscal_year_of(at.astimezone(JST).date())
