"""Report months (``yyyy-mm``): well-formed, not in the future, and their 年度."""

from __future__ import annotations

import re
from datetime import date

from kasane.errors import Invalid
from kasane.fiscal_year import fiscal_year_of

_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
MIN_YEAR = 2000  # earlier months are typos, not history this system holds


def parse_month(text: str, today: date, field: str = "month") -> str:
    """The month as given, or Invalid (422) naming ``field``: a report cannot precede its month."""
    match = _MONTH.match(text)
    if not match:
        raise Invalid(field, f"月は yyyy-mm 形式 / {field} must be yyyy-mm: {text!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if year < MIN_YEAR:
        raise Invalid(field, f"{MIN_YEAR}年より前の月 / {field} before {MIN_YEAR}")
    if (year, month) > (today.year, today.month):
        raise Invalid(field, f"未来の月は報告できません / {field} is in the future: {text}")
    return text


def fiscal_year_of_month(month: str) -> int:
    year, mon = (int(p) for p in month.split("-"))
    return fiscal_year_of(date(year, mon, 1))


def months_of_fiscal_year(fy: int) -> list[str]:
    return [f"{fy + (m < 4)}-{m:02d}" for m in (*range(4, 13), *range(1, 4))]
