"""Days of the demo's fiscal year: business days, the monthly meeting days, date picks."""

from __future__ import annotations

import bisect
import random
from datetime import date, datetime, time, timedelta

from kasane.business_days import fourth_wednesday, is_business_day
from kasane.clock import JST
from kasane.fiscal_year import fiscal_year_bounds


class FiscalDays:
    def __init__(self, fiscal_year: int) -> None:
        self.first, self.last = fiscal_year_bounds(fiscal_year)
        day, found = self.first, []
        while day <= self.last:
            if is_business_day(day):
                found.append(day)
            day += timedelta(days=1)
        self.business = tuple(found)
        # The regular meetings fall on the 4th Wednesday (meetings may move a holiday one
        # later); the generator keeps a week's margin before them for what must precede.
        self.meeting_days = tuple(
            fourth_wednesday(fiscal_year + (m < 4), m) for m in (*range(4, 13), 1, 2, 3)
        )
        self.months = tuple(f"{d.year}-{d.month:02d}" for d in self.meeting_days)

    def clamp(self, day: date) -> date:
        return min(max(day, self.first), self.last)

    def business_between(self, rng: random.Random, start: date, end: date) -> date:
        """A business day in [start, end] (clamped to the year); ``start``'s next one if none."""
        lo = bisect.bisect_left(self.business, self.clamp(start))
        hi = bisect.bisect_right(self.business, self.clamp(end))
        if lo >= len(self.business):
            return self.business[-1]
        if hi <= lo:
            return self.business[lo]
        return self.business[rng.randrange(lo, hi)]

    def spread(self, rng: random.Random, start: date, end: date, n: int) -> list[date]:
        """``n`` ascending business days between ``start`` and ``end``."""
        return sorted(self.business_between(rng, start, end) for _ in range(n))


def office_hours(rng: random.Random, day: date) -> datetime:
    minutes = rng.randrange(9 * 60, 17 * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=JST)
