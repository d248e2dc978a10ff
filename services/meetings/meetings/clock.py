"""The clock in one place, so tests can pin "today" (meeting dates, consent validity)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kasane.clock import JST


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        # Meetings, approvals and consent validity follow the Japanese calendar day.
        return self.now().astimezone(JST).date()


class FixedClock(Clock):
    def __init__(self, today: date) -> None:
        self._today = today

    def now(self) -> datetime:
        return datetime(self._today.year, self._today.month, self._today.day, 12, tzinfo=JST)


_current: Clock = Clock()


def system_clock() -> Clock:
    """The clock for routes (a FastAPI dependency), handlers and the start-up step."""
    return _current


def set_clock(clock: Clock | None) -> None:
    """Tests pin "today" for the whole service (None: back to the system clock)."""
    global _current
    _current = clock or Clock()
