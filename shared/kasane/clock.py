"""Japan's clock. Dates in kasane are Japanese calendar dates (年度, 受付日, 同意日), whatever
time zone the server runs in: between 00:00 and 09:00 JST a UTC server's ``date.today()``
is still yesterday, and "today" entered by staff would look like the future."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

JST = timezone(timedelta(hours=9), "JST")


def now_jst() -> datetime:
    return datetime.now(JST)


def today_jst() -> date:
    return now_jst().date()
