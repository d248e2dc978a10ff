"""ふれあいの会 monthly watch-visit counts per 校区: rules, no I/O.

A month's figure is a series of revisions. Reporting the effective figure again changes
nothing (a retried PUT must not publish twice); a different figure is a correction: a new
revision, the old ones kept as history.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, field_validator

from kasane.errors import NotFound

# More visits than this in one 校区 and month is a typo (the city-wide FY2025 target
# is 296,000 a year).
MAX_VISITS = 1_000_000


class VisitsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visits: int

    @field_validator("visits")
    @classmethod
    def _count(cls, value: int) -> int:
        if value < 0:
            raise ValueError("訪問件数は0以上 / visits must not be negative")
        if value > MAX_VISITS:
            raise ValueError(f"訪問件数が大きすぎます / visits above {MAX_VISITS}")
        return value


@dataclass(frozen=True)
class Effective:
    visits: int
    revision: int


def next_revision(current: Effective | None, visits: int) -> int | None:
    """The revision a new report creates, or None when it repeats the effective figure."""
    if current is None:
        return 1
    if current.visits == visits:
        return None
    return current.revision + 1


@dataclass(frozen=True)
class Summary:
    total: int
    by_school_district: dict[str, int]
    by_month: dict[str, int]


def summarize(effective: list[tuple[str, str, int]]) -> Summary:
    """Totals of effective figures ``(校区, month, visits)``, one row per 校区 and month:
    a correction replaces its month's figure, it never adds to it."""
    seen: set[tuple[str, str]] = set()
    by_district: dict[str, int] = {}
    by_month: dict[str, int] = {}
    for district, month, visits in effective:
        if (district, month) in seen:
            raise ValueError(f"two effective figures for {district} {month}")
        seen.add((district, month))
        by_district[district] = by_district.get(district, 0) + visits
        by_month[month] = by_month.get(month, 0) + visits
    return Summary(
        total=sum(by_district.values()),
        by_school_district=dict(sorted(by_district.items())),
        by_month=dict(sorted(by_month.items())),
    )


def no_report(district: str, month: str) -> NotFound:
    return NotFound("month", f"報告がありません / no report for {district} {month}")
