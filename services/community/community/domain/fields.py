"""Field rules community's inputs share: a known 校区, a date that is not in the future.

One home in this service for what the report models had four copies of; the messages are
the ones those copies gave, so clients see the same reasons.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator

from kasane.clock import system_clock
from kasane.errors import Invalid
from kasane.reference.school_districts import is_valid_school_district


def _unknown_district(code: str) -> str:
    return f"未知の校区コード / unknown school district code: {code}"


def _known_district(code: str) -> str:
    if not is_valid_school_district(code):
        raise ValueError(_unknown_district(code))
    return code


# A 校区 code from the shared reference table (kasane.reference.school_districts).
SchoolDistrictCode = Annotated[str, AfterValidator(_known_district)]


def check_district(code: str, field: str = "school_district_code") -> str:
    """For path and query parameters: the code, or 422 naming ``field``."""
    if not is_valid_school_district(code):
        raise Invalid(field, _unknown_district(code))
    return code


def not_future(what_ja: str, field: str) -> AfterValidator:
    """A date staff enter about something that already happened (通報日, 開催日, 廃止日):
    later than today in Japan is a typo. Today comes from the pinnable clock."""

    def check(value: date) -> date:
        if value > system_clock().today():
            raise ValueError(f"{what_ja}が未来です / {field} is in the future")
        return value

    return AfterValidator(check)
