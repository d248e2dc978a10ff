"""和暦 dates for printed documents (令和8年12月1日（火）).

Private to meetings until a shared ``kasane.wareki`` exists (fiscal years already have
``kasane.fiscal_year.wareki_label``); then this module should be replaced by it.
"""

from __future__ import annotations

from datetime import date

_REIWA_FROM = date(2019, 5, 1)
_HEISEI_FROM = date(1989, 1, 8)
_WEEKDAYS = "月火水木金土日"


def wareki_date(day: date, *, weekday: bool = True) -> str:
    """2026-12-01 → 令和8年12月1日（火）; the first year of an era is 元年."""
    if day >= _REIWA_FROM:
        era, first = "令和", _REIWA_FROM.year
    elif day >= _HEISEI_FROM:
        era, first = "平成", _HEISEI_FROM.year
    else:
        return f"{day.year}年{day.month}月{day.day}日"  # before 平成: not used by the project
    number = day.year - first + 1
    year = "元" if number == 1 else str(number)
    text = f"{era}{year}年{day.month}月{day.day}日"
    return text + (f"（{_WEEKDAYS[day.weekday()]}）" if weekday else "")
