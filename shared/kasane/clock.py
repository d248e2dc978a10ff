"""Japan's clock, in one place, pinnable by tests.

Dates in kasane are Japanese calendar dates (年度, 受付日, 同意日), whatever time zone the server
runs in: between 00:00 and 09:00 JST a UTC server's ``date.today()`` is still yesterday, and
"today" entered by staff would look like the future.

Routes take the clock as a FastAPI dependency (``Depends(system_clock)``); handlers and
start-up steps call ``system_clock()``. Tests pin "today" for a whole service with
``set_clock(FixedClock(...))`` or override the dependency.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

JST = timezone(timedelta(hours=9), "JST")


def now_jst() -> datetime:
    return datetime.now(JST)


def today_jst(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(JST).date()


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(JST).date()


class FixedClock(Clock):
    """A clock pinned to an instant, or to a day.

    Pinned to a day, it keeps that date and takes the time of day from the real clock: a
    test that pins *today* then sees exactly the real "now", and other code in the process
    (a service's own ``now()``, the database's ``now()``) never looks to be in its future or
    past by hours — as a clock stopped at noon would after 12:00 JST.
    """

    def __init__(self, at: datetime | date) -> None:
        self._at = at

    def now(self) -> datetime:
        if isinstance(self._at, datetime):
            return self._at
        real = datetime.now(JST)
        return datetime.combine(self._at, real.timetz())


_current: Clock = Clock()


def system_clock() -> Clock:
    """The service's clock (a FastAPI dependency, and for handlers and start-up steps)."""
    return _current


def set_clock(clock: Clock | None) -> None:
    """Pin "today" for everything in this process (None: back to the system clock)."""
    global _current
    _current = clock or Clock()
