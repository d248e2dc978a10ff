"""和暦 (Japanese era dates) both ways, pure: the one home of the era table.

Staff read and type dates in 和暦 (令和8年12月1日, R8.12.1, 昭和30年4月1日) as often as in
西暦. :func:`format_date` and :func:`fiscal_year_label` print them; :func:`parse_date`
reads either kind of input and refuses, with a reason in Japanese, a date that does not
exist or does not belong to the era it names (平成31年5月1日 is 令和元年5月1日).

Eras start on the day their first day is counted in law: 明治 1868-10-23 (改元の詔; the
earlier part of 明治元年 is not representable here), 大正 1912-07-30, 昭和 1926-12-25,
平成 1989-01-08, 令和 2019-05-01. Dates before 明治 are refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    letter: str  # R
    first_day: date


ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 10, 23)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("令和", "R", date(2019, 5, 1)),
)
_BY_NAME = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}

EXAMPLES = "例: 令和8年12月1日、R8.12.1、2026-12-01"


class WarekiError(ValueError):
    """Input that is not a date (the message is the staff-facing reason, Japanese first)."""


def era_of(day: date) -> Era:
    for era in reversed(ERAS):
        if day >= era.first_day:
            return era
    raise WarekiError(
        f"明治より前の日付は和暦で表せません / {day.isoformat()} is before the 明治 era"
    )


def _year_number(n: int) -> str:
    return "元" if n == 1 else str(n)


def format_date(day: date, *, short: bool = False) -> str:
    """2026-12-01 → 令和8年12月1日 (short: R8.12.1); 2019-05-01 → 令和元年5月1日 (R1.5.1)."""
    era = era_of(day)
    number = day.year - era.first_day.year + 1
    if short:
        return f"{era.letter}{number}.{day.month}.{day.day}"
    return f"{era.name}{_year_number(number)}年{day.month}月{day.day}日"


def fiscal_year_label(fy: int) -> str:
    """年度 (April–March) label: 2026 → 令和8年度, 2019 → 令和元年度, 1988 → 昭和63年度.

    The 年度 takes the era that began in its calendar year or before: FY2019 began under
    平成 (officially 平成31年度) but is commonly written 令和元年度, and FY1989 平成元年度.
    """
    era = next(e for e in reversed(ERAS) if e.first_day.year <= fy) if fy >= 1868 else None
    if era is None:
        raise WarekiError(f"明治より前の年度は和暦で表せません / FY{fy} is before the 明治 era")
    return f"{era.name}{_year_number(fy - era.first_day.year + 1)}年度"


_SEP = r"[-/.]"
_WESTERN = re.compile(
    rf"(?P<y>\d{{4}})(?:{_SEP}|年)(?P<m>\d{{1,2}})(?:{_SEP}|月)(?P<d>\d{{1,2}})日?"
)
_ERA_DATE = re.compile(
    r"(?P<era>明治|大正|昭和|平成|令和|[MTSHR])(?P<n>元|\d{1,2})"
    rf"(?:{_SEP}|年)(?P<m>\d{{1,2}})(?:{_SEP}|月)(?P<d>\d{{1,2}})日?"
)


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise WarekiError(f"存在しない日付です（{text}） / no such date: {text}") from None


def parse_date(text: str) -> date:
    """Staff input in 和暦 or 西暦 → date. Full-width digits, spaces and lower-case era
    letters (r8/12/1) are accepted; anything else raises :class:`WarekiError`."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
    if match := _WESTERN.fullmatch(folded):
        return _make(int(match["y"]), int(match["m"]), int(match["d"]), text)
    match = _ERA_DATE.fullmatch(folded)
    if match is None:
        raise WarekiError(
            f"日付として読めません（{EXAMPLES}） / not a date: expected e.g. 2026-12-01 or R8.12.1"
        )
    era = _BY_NAME[match["era"]]
    number = 1 if match["n"] == "元" else int(match["n"])
    if number < 1:
        raise WarekiError(f"{era.name}0年はありません / there is no year 0 of {era.letter}")
    day = _make(era.first_day.year + number - 1, int(match["m"]), int(match["d"]), text)
    following = ERAS.index(era) + 1
    last_day = ERAS[following].first_day if following < len(ERAS) else None
    if day < era.first_day or (last_day is not None and day >= last_day):
        until = f"{(last_day - timedelta(days=1)).isoformat()}まで" if last_day else ""
        raise WarekiError(
            f"{text}は{era.name}の期間外です（{era.name}は{era.first_day.isoformat()}から"
            f"{until}） / {text} is outside the {era.letter} era"
        )
    return day


def _staff_date_input(value: object) -> object:
    # A date object (from Python callers) passes; text is read as 和暦 or 西暦.
    if isinstance(value, str):
        return parse_date(value)
    if isinstance(value, date):
        return value
    raise WarekiError(f"日付を文字列で指定してください（{EXAMPLES}） / a date must be a string")


# A request field for a date staff type: 和暦 or 西暦 text, refused with the Japanese reason.
StaffDate = Annotated[
    date,
    BeforeValidator(_staff_date_input),
    WithJsonSchema(
        {
            "type": "string",
            "description": f"和暦または西暦（{EXAMPLES}、2026/12/1、S30.4.1）",
            "examples": ["令和8年12月1日", "R8.12.1", "2026-12-01"],
        }
    ),
]
