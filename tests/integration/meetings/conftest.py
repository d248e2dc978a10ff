"""meetings running in-process for the session, plus a pinned clock and event helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest

from kasane.business_days import next_business_day
from kasane.clock import FixedClock, set_clock
from kasane_dev.testing.services import RunningService
from tests.conftest import ServiceStarter


@pytest.fixture(scope="session")
async def meetings(services: ServiceStarter) -> RunningService:
    return await services("meetings")


# Each call moves to a later business day, far from the real calendar: a plan queued on
# "the next 重層的支援会議" lands on the calling test's own meeting, never an earlier test's.
_last = [date(2041, 3, 29)]


@pytest.fixture
def day() -> Iterator[Callable[..., date]]:
    """``today = day()``: a fresh business day, and the service's clock pinned to it
    (``day(on)`` pins a given date instead); the system clock is back after the test."""

    def next_day(on: date | None = None) -> date:
        if on is None:
            _last[0] = next_business_day(_last[0])
        today = on or _last[0]
        set_clock(FixedClock(today))
        return today

    yield next_day
    set_clock(None)
