"""The clock as a dependency, so tests can pin "today"."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kasane.clock import JST


class Clock:
    def today(self) -> date:
        return datetime.now(UTC).astimezone(JST).date()


_SYSTEM = Clock()


def system_clock() -> Clock:
    """FastAPI dependency; tests override it with ``app.dependency_overrides``."""
    return _SYSTEM
