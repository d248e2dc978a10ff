"""Field rules used by several of outreach's request models (one home each).

The 校区 and "not in the future" rules exist in other services too; until ``kasane.types``
has them, they live here once for this service.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar

from pydantic import AfterValidator

from kasane.clock import system_clock
from kasane.reference.school_districts import is_valid_school_district

D = TypeVar("D", bound=date | None)


def _district(value: str) -> str:
    if not is_valid_school_district(value):
        raise ValueError(f"未知の校区コード / unknown school district code: {value}")
    return value


def not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("空欄です / must not be blank")
    return value


def not_future(value: D, reason: str) -> D:
    """``value`` unless it is after today in Japan (``reason``: "日本語 / English")."""
    if value is not None and value > system_clock().today():
        raise ValueError(reason)
    return value


District = Annotated[str, AfterValidator(_district)]  # 校区コード
