"""和暦 for the portal's pages (the project's shared home is kasane.wareki once it lands)."""

from __future__ import annotations

from datetime import date

_ERAS = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1868, 10, 23), "明治"),
)


def wareki_date(day: date) -> str:
    for start, name in _ERAS:
        if day >= start:
            year = day.year - start.year + 1
            label = "元" if year == 1 else str(year)
            return f"{name}{label}年{day.month}月{day.day}日"
    return day.isoformat()
