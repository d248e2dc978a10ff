"""community's figures: watch visits (latest revision), concerns, support councils."""

from __future__ import annotations

from collections.abc import Sequence

from indicators.domain.facts import Fact
from indicators.domain.figures.base import (
    Figure,
    count,
    grouped,
    in_year,
    of_type,
    summed,
)
from indicators.domain.fiscal_years import fiscal_months


def effective_watch_reports(fy: int, facts: Sequence[Fact]) -> list[Fact]:
    """Per 校区 and month, the latest revision (a correction replaces, never adds)."""
    latest: dict[str, Fact] = {}
    for f in in_year(of_type(facts, "community.WatchVisitsReported"), fy):
        best = latest.get(f.subject_id)
        rank = (f.revision or 0, f.occurred_at, f.event_id)
        if best is None or rank > (best.revision or 0, best.occurred_at, best.event_id):
            latest[f.subject_id] = f
    return sorted(latest.values(), key=lambda f: f.subject_id)


def community_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    reports = effective_watch_reports(fy, facts)
    concerns = in_year(of_type(facts, "community.ConcernReported"), fy)
    councils = in_year(of_type(facts, "community.SupportCouncilHeld"), fy)
    return [
        *summed("community.watch_visits", (("", f) for f in reports), [""]),
        *summed(
            "community.watch_visits_by_month",
            ((f.code or "", f) for f in reports),
            fiscal_months(fy),
        ),
        *summed("community.watch_visits_by_district", ((f.kind or "", f) for f in reports)),
        *grouped("community.concerns", ((f.kind or "", f.event_id) for f in concerns)),
        count("community.support_councils", "", [f.event_id for f in councils]),
    ]
