"""When an act happened, as opposed to when it was entered.

Staff often record work after the fact (a referral made by phone in March, typed in April).
The 年度 an act counts in must follow the day it happened, so acts that used to be dated by
their entry time take an optional occurrence date: not in the future, not before what it
belongs to (the case's opening, the referral it answers), and today when not given. The entry
time is kept next to it, unchanged, for the audit trail and response times.
"""

from __future__ import annotations

from datetime import date

from kasane.errors import Invalid
from kasane.types import future_reason


def occurrence_date(
    given: date | None,
    *,
    today: date,
    field: str,
    what_ja: str,
    not_before: date | None = None,
    before_ja: str = "開始日",
) -> date:
    """``given`` (or ``today``) if it is a possible day for the act; else 422 naming ``field``.

    ``not_before`` is the day of what the act belongs to (the case opened, the referral was
    made); ``before_ja`` names it in the reason (「ケース開始日（2025-04-01）より前です」).
    """
    day = today if given is None else given
    if day > today:
        raise Invalid(field, future_reason(what_ja, field))
    if not_before is not None and day < not_before:
        raise Invalid(
            field,
            f"{what_ja}が{before_ja}（{not_before}）より前です / {field} is before {not_before}",
        )
    return day
