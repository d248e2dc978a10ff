"""The clock as a dependency, so tests can pin "now" (due dates, overdue, consent expiry)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kasane.clock import JST


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        # Due dates and consent validity follow the Japanese calendar day, not UTC.
        return self.now().astimezone(JST).date()


class FixedClock(Clock):
    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at


_SYSTEM = Clock()


def system_clock() -> Clock:
    """FastAPI dependency; tests override it with ``app.dependency_overrides``."""
    return _SYSTEM
