"""Fiscal year (年度, April–March) and its labels both ways: FY2025 ⇄ 令和7年度.

Pure functions. Supported eras are 平成 (FY1989–2018, plus H31 as an alias of FY2019)
and 令和 (FY2019–). The FY that starts in April 2019 began under 平成 (officially 平成31年度)
but is commonly written 令和元年度, and the seed itself writes it "H31･R1": we print
令和元年度 and accept every spelling when parsing.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from kasane import wareki

FIRST_MONTH = 4  # 年度 starts on 1 April
MIN_FISCAL_YEAR = 1989  # 平成元年度; earlier eras (昭和) are not supported

_HEISEI_FIRST = 1989
_HEISEI_LAST_YEAR_NUMBER = 31  # H31 = FY2019, the last 平成 year number
_REIWA_FIRST = 2019

_ERAS: dict[str, int] = {  # era → western year of its year 1 (元年)
    "平成": _HEISEI_FIRST,
    "H": _HEISEI_FIRST,
    "令和": _REIWA_FIRST,
    "R": _REIWA_FIRST,
}

_WESTERN = re.compile(r"(?:FY)?(?P<year>[0-9]{4})(?:年度)?", re.IGNORECASE)
_ERA = re.compile(r"(?P<era>平成|令和|H|R)(?P<number>元|[0-9]{1,2})(?:年度)?", re.IGNORECASE)
# The seed writes one fiscal year under both eras, e.g. "H31･R1" (NFKC turns ･ into ・).
_ALIAS_SEPARATOR = re.compile(r"[・/]")

_EXPECTED = "expected e.g. 'FY2025', '2025', '令和7年度', 'R7', 'H30', '令和元年度' or 'H31'"


def _check(fy: int) -> int:
    if isinstance(fy, bool) or not isinstance(fy, int):
        raise TypeError(f"fiscal year must be an int, got {type(fy).__name__}")
    if fy < MIN_FISCAL_YEAR:
        raise ValueError(f"fiscal year {fy} is before 平成 (FY{MIN_FISCAL_YEAR}); not supported")
    return fy


def fiscal_year_of(day: date) -> int:
    """年度 of a calendar date: 2026-03-31 → 2025, 2026-04-01 → 2026.

    A datetime is taken at its own wall-clock date, so convert instants to Asia/Tokyo first;
    otherwise 1 April 00:00–08:59 JST would fall in the previous 年度.
    """
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day of the 年度, both inclusive: FY2025 → (2025-04-01, 2026-03-31)."""
    _check(fy)
    return date(fy, FIRST_MONTH, 1), date(fy + 1, FIRST_MONTH - 1, 31)


def western_label(fy: int) -> str:
    return f"FY{_check(fy)}"


def wareki_label(fy: int) -> str:
    """FY2025 → 令和7年度, FY2018 → 平成30年度, FY2019 → 令和元年度."""
    return wareki.fiscal_year_label(_check(fy))


def _parse_one(text: str) -> int | None:
    if match := _WESTERN.fullmatch(text):
        return _check(int(match["year"]))
    if match := _ERA.fullmatch(text):
        era = match["era"].upper() if match["era"].isascii() else match["era"]
        number = 1 if match["number"] == "元" else int(match["number"])
        if number < 1:
            raise ValueError(f"year number must be 1 or more in {text!r}")
        if _ERAS[era] == _HEISEI_FIRST and number > _HEISEI_LAST_YEAR_NUMBER:
            raise ValueError(
                f"平成 ends at 平成{_HEISEI_LAST_YEAR_NUMBER}年度 (FY2019); got {text!r}"
            )
        return _ERAS[era] + number - 1
    return None


def parse_fiscal_year(label: str) -> int:
    """Parse any accepted spelling to the western fiscal year; ValueError if none fits.

    Full-width digits and letters (令和７年度, ＦＹ２０２５) and spaces are tolerated.
    """
    if not isinstance(label, str):
        raise TypeError(f"fiscal year label must be a str, got {type(label).__name__}")
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", label))
    parts = _ALIAS_SEPARATOR.split(text)
    parsed = [_parse_one(part) for part in parts]
    years = {year for year in parsed if year is not None}
    if len(parts) > 2 or None in parsed:
        raise ValueError(f"unrecognised fiscal year label {label!r}: {_EXPECTED}")
    if len(years) != 1:
        raise ValueError(f"{label!r} names different fiscal years: {sorted(years)}")
    return years.pop()
