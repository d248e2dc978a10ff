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
from datetime import date, datetime, timedelta
from typing import Annotated, TypeVar

from annotated_types import Ge, Le, MaxLen
from pydantic import AfterValidator, BeforeValidator

from kasane.clock import JST, system_clock
from kasane.errors import Invalid
from kasane.reference.enumerations import is_valid
from kasane.reference.issue_codes import is_valid_issue_code
from kasane.reference.school_districts import is_valid_school_district

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


# --- "not in the future" ----------------------------------------------------------------
# Dates staff enter about something that already happened (受付日, 同意日, 開催日, 終結日…):
# later than today in Japan is a typing error. "Today" comes from kasane.clock.system_clock(),
# so a test that pins the clock pins this rule too.

D = TypeVar("D", bound=date | None)

# Clocks of field laptops drift: a time "from the future" by less than this is not a typo.
CLOCK_SKEW = timedelta(minutes=10)


def future_reason(what_ja: str, field: str) -> str:
    """The one reason text for a date or time in the future (``開催日が未来です / held_on …``)."""
    return f"{what_ja}が未来です / {field} is in the future"


def is_future(value: date, today: date | None = None) -> bool:
    """Whether ``value`` is after ``today`` (default: today in Japan, from the pinnable clock)."""
    return value > (today if today is not None else system_clock().today())


def not_future(value: D, reason: str) -> D:
    """``value`` (None passes) unless it is after today in Japan; ValueError(``reason``)."""
    if value is not None and is_future(value):
        raise ValueError(reason)
    return value


def check_not_future(value: date, field: str, reason: str, today: date | None = None) -> None:
    """For dates checked in a use case, not a request model: 422 naming ``field``."""
    if is_future(value, today):
        raise Invalid(field, reason)


def not_future_datetime(value: datetime, reason: str) -> datetime:
    """``value`` unless it is later than now by more than ``CLOCK_SKEW``; a naive time is
    Japanese local time (staff type what their wall clock says)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=JST)
    if value - system_clock().now() > CLOCK_SKEW:
        raise ValueError(reason)
    return value


def NotFuture(what_ja: str, field: str) -> AfterValidator:
    """``Annotated[IsoDate, NotFuture("開催日", "held_on")]``: the standard reason text."""
    reason = future_reason(what_ja, field)
    return AfterValidator(lambda value: not_future(value, reason))


# --- codes from the shared reference tables -----------------------------------------------


def unknown_district_reason(code: str) -> str:
    return f"未知の校区コード / unknown school district code: {code}"


def _known_district(code: str) -> str:
    if not is_valid_school_district(code):
        raise ValueError(unknown_district_reason(code))
    return code


def check_school_district(code: str, field: str = "school_district_code") -> str:
    """For path and query parameters checked in a use case: the code, or 422 naming ``field``."""
    if not is_valid_school_district(code):
        raise Invalid(field, unknown_district_reason(code))
    return code


# A 校区 code from the shared reference table (kasane.reference.school_districts).
SchoolDistrictCode = Annotated[str, AfterValidator(_known_district)]

AGE_BAND_REASON = "年代は 0-9, 10-19, …, 90+ のいずれか / age_band must be a decade band"


def _known_age_band(value: str) -> str:
    if not is_valid("age_bands", value):
        raise ValueError(AGE_BAND_REASON)
    return value


# A 年代 (decade band, never an age): kasane.reference.enumerations "age_bands".
AgeBandCode = Annotated[str, AfterValidator(_known_age_band)]


def _known_issue_codes(value: list[str]) -> list[str]:
    unknown = [c for c in value if not is_valid_issue_code(c)]
    if unknown:
        raise ValueError(f"未知の課題コード / unknown issue code(s): {', '.join(unknown)}")
    if len(set(value)) != len(value):
        raise ValueError("課題コードが重複しています / duplicate issue codes")
    return value


# 課題コード from kasane.reference.issue_codes, each at most once.
IssueCodes = Annotated[list[str], AfterValidator(_known_issue_codes)]
