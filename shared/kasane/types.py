"""Annotated types for what comes in over HTTP: one home for the limits every service shares.

Each limit exists because something downstream breaks without it: PostgreSQL ``integer`` and
``bigint`` columns overflow (asyncpg raises, the client saw a 500), ``text`` cannot hold a NUL
character, and pydantic's lax mode reads a number as a Unix timestamp (``"occurred_at": 0``
became 1970-01-01). Use these in request models, query parameters and path parameters; the
validation error is then a 422 that names the field and the reason (``kasane.web.errors``)
before any write. See docs/architecture/input-validation.md.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Annotated

from annotated_types import Ge, Le, MaxLen
from pydantic import AfterValidator, BeforeValidator

# PostgreSQL's integer (int4) and bigint (int8) ranges: a value outside them cannot be bound.
INT4_MAX = 2_147_483_647
INT8_MAX = 9_223_372_036_854_775_807

# Length limits for text (characters). Generous for real use, small enough that a request
# body cannot fill the database: a name is a line, a note is a page or two.
SHORT_TEXT_MAX = 200
TEXT_MAX = 4000
LONG_TEXT_MAX = 20000

# --- integers ---------------------------------------------------------------------------


def _not_bool(value: object) -> object:
    # pydantic's lax mode reads true/false as 1/0: a yes/no is never a count or an amount.
    if isinstance(value, bool):
        raise ValueError("数値で指定してください（true/false は不可） / a number, not a boolean")
    return value


NotBool = BeforeValidator(_not_bool)

# Paging: an offset past a million rows is not a page anyone reads; it keeps int8 safe.
Offset = Annotated[int, Ge(0), Le(1_000_000), NotBool]
# An audit or event sequence number (bigserial): after_seq=N reads the entries after N.
Seq = Annotated[int, Ge(0), Le(INT8_MAX), NotBool]
# A count that lands in an integer column (participants, visits, people reached).
Count = Annotated[int, Ge(0), Le(INT4_MAX), NotBool]
# Any other whole number stored in an integer column.
Int4 = Annotated[int, Ge(-INT4_MAX - 1), Le(INT4_MAX), NotBool]
# An amount or a percentage (a JSON number, never true/false).
Number = Annotated[float, NotBool]
NonNegativeInt4 = Count
# A 年度 kasane can label (平成元年度 FY1989 … FY2100): dates of any other year are errors.
FiscalYear = Annotated[int, Ge(1989), Le(2100), NotBool]


# --- text -------------------------------------------------------------------------------

_LINE_BREAKS = {"\n", "\r", "\t"}


def _bad_character(value: str, allow_breaks: bool) -> str | None:
    """The first character text must not hold, described for staff; None if all are fine."""
    for ch in value:
        if ch in _LINE_BREAKS:
            if allow_breaks:
                continue
            return "改行やタブは使えません / line breaks and tabs are not allowed"
        category = unicodedata.category(ch)
        if category == "Cc":
            # NUL cannot be stored in PostgreSQL text; the other control characters are never
            # typed by a person and break CSV exports and terminals.
            return "制御文字は使えません / control characters are not allowed"
        if category == "Cs":
            # A lone surrogate (JSON "\ud800") is not valid UTF-8 and cannot be encoded.
            return "不正な文字が含まれています / invalid (surrogate) character"
    return None


def bad_character(value: str, *, multi_line: bool) -> str | None:
    """Why ``value`` cannot be stored as text (Japanese / English), or None if it can."""
    return _bad_character(value, allow_breaks=multi_line)


def _multi_line(value: str) -> str:
    reason = _bad_character(value, allow_breaks=True)
    if reason:
        raise ValueError(reason)
    return value


def _one_line(value: str) -> str:
    reason = _bad_character(value, allow_breaks=False)
    if reason:
        raise ValueError(reason)
    return value


# The character rules alone: pair them with the field's own limit,
# ``note: Text | None = Field(None, max_length=2000)``, or use a sized alias below.
Line = Annotated[str, AfterValidator(_one_line)]  # a name, a title, a label, a code
Text = Annotated[str, AfterValidator(_multi_line)]  # a note, a summary, a reason

# Sized aliases for fields without a limit of their own.
ShortText = Annotated[str, MaxLen(SHORT_TEXT_MAX), AfterValidator(_one_line)]
MediumText = Annotated[str, MaxLen(TEXT_MAX), AfterValidator(_multi_line)]
LongText = Annotated[str, MaxLen(LONG_TEXT_MAX), AfterValidator(_multi_line)]
# A reference-data code or a client-chosen identifier used as a filter.
Token = Annotated[str, MaxLen(100), AfterValidator(_one_line)]

# --- dates ------------------------------------------------------------------------------

FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2100, 12, 31)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _date_input(value: object) -> object:
    # pydantic's lax mode turns 0 or "0" into 1970-01-01: a number is never a date here.
    if isinstance(value, str) and not _DATE.match(value):
        raise ValueError("日付は YYYY-MM-DD で指定してください / a date must be YYYY-MM-DD")
    if isinstance(value, (int, float)):
        raise ValueError("日付は YYYY-MM-DD で指定してください / a date must be YYYY-MM-DD")
    return value


def _datetime_input(value: object) -> object:
    if isinstance(value, str) and not _DATETIME.match(value):
        raise ValueError(
            "日時は ISO 8601 (YYYY-MM-DDThh:mm:ss+09:00) で指定してください / "
            "a datetime must be ISO 8601"
        )
    if isinstance(value, (int, float)):
        raise ValueError(
            "日時は ISO 8601 (YYYY-MM-DDThh:mm:ss+09:00) で指定してください / "
            "a datetime must be ISO 8601"
        )
    return value


def _date_in_range(value: date) -> date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(
            f"{FIRST_DATE.year}年から{LAST_DATE.year}年までの日付を指定してください / "
            f"a date must be between {FIRST_DATE} and {LAST_DATE}"
        )
    return value


def _datetime_in_range(value: datetime) -> datetime:
    _date_in_range(value.date())
    return value


# Between 1900 and 2100: a date outside is a typing error, and it keeps date arithmetic
# (deadlines, fiscal years, ages) inside what PostgreSQL and Python both hold.
IsoDate = Annotated[date, BeforeValidator(_date_input), AfterValidator(_date_in_range)]
IsoDatetime = Annotated[
    datetime, BeforeValidator(_datetime_input), AfterValidator(_datetime_in_range)
]
