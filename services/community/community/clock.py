"""Today's date in Japan: reports, months and due dates follow the local calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kasane.clock import JST


def today_jst(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(JST).date()
