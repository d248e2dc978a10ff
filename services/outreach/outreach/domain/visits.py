"""Regular-visit schedule: when each open target is next due, and who is overdue. Pure.

A target with a visit interval is due ``interval`` days after its last visit (訪問 or 同行訪問,
whether or not anyone answered: the worker went), or after registration if never visited.
Phone calls and letters keep contact but do not replace the visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class Scheduled:
    target_id: UUID
    worker: str | None
    interval_days: int
    registered_on: date
    last_visit_on: date | None
    stage: str
    school_district_code: str | None

    @property
    def due_on(self) -> date:
        return (self.last_visit_on or self.registered_on) + timedelta(days=self.interval_days)


@dataclass(frozen=True)
class Overdue:
    target_id: UUID
    due_on: date
    days_overdue: int
    last_visit_on: date | None
    stage: str
    school_district_code: str | None


def overdue_by_worker(schedule: list[Scheduled], as_of: date) -> dict[str, list[Overdue]]:
    """Targets whose visit was due before ``as_of``, per worker, most overdue first."""
    result: dict[str, list[Overdue]] = {}
    for item in schedule:
        if item.due_on >= as_of:
            continue
        result.setdefault(item.worker or UNASSIGNED, []).append(
            Overdue(
                target_id=item.target_id,
                due_on=item.due_on,
                days_overdue=(as_of - item.due_on).days,
                last_visit_on=item.last_visit_on,
                stage=item.stage,
                school_district_code=item.school_district_code,
            )
        )
    for items in result.values():
        items.sort(key=lambda o: (o.due_on, str(o.target_id)))
    return dict(sorted(result.items()))
