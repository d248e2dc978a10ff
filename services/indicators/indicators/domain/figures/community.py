"""community's figures: watch visits (latest revision), concerns, support councils, and the
地域づくり programs' activity (latest correction of each report)."""

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
from kasane.reference.programs import catalog

# Every program that reports activity is listed (0 when nothing was reported), catalog order.
REPORTING_PROGRAMS: tuple[str, ...] = tuple(p.code for p in catalog().programs if p.operation)
WHOLE_PROGRAM = ""  # the unit key of a report for the program as a whole


def effective_program_reports(fy: int, facts: Sequence[Fact]) -> list[Fact]:
    """Per report, its latest event (a correction republishes the same report id)."""
    latest: dict[str, Fact] = {}
    for f in in_year(of_type(facts, "community.ProgramActivityReported"), fy):
        best = latest.get(f.subject_id)
        if best is None or (f.occurred_at, f.event_id) > (best.occurred_at, best.event_id):
            latest[f.subject_id] = f
    return sorted(latest.values(), key=lambda f: (f.program or "", f.kind or "", f.code or ""))


def _sessions(figure: str, pairs: Sequence[tuple[str, Fact]], keys: Sequence[str]) -> list[Figure]:
    groups: dict[str, list[Fact]] = {k: [] for k in keys}
    for key, f in pairs:
        groups.setdefault(key, []).append(f)
    ordered = list(keys) + sorted(k for k in groups if k not in keys)
    return [
        Figure(
            figure,
            k,
            sum(f.second_amount or 0 for f in groups[k]),
            tuple(f.event_id for f in groups[k]),
        )
        for k in ordered
    ]


def program_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    """地域づくり: participants (延べ) and sessions per program, per program:unit (講座,
    Ⅰ型/Ⅲ型, …; ``program:`` for a whole-program report) and per program|month."""
    reports = effective_program_reports(fy, facts)
    by_program = [(f.program or "", f) for f in reports]
    by_unit = [(f"{f.program}:{f.kind or WHOLE_PROGRAM}", f) for f in reports]
    by_month = [(f"{f.program}|{f.code}", f) for f in reports]
    return [
        *summed("community.program_participants", by_program, REPORTING_PROGRAMS),
        *_sessions("community.program_sessions", by_program, REPORTING_PROGRAMS),
        *summed("community.program_participants_by_unit", by_unit),
        *_sessions("community.program_sessions_by_unit", by_unit, ()),
        *summed("community.program_participants_by_month", by_month),
        *_sessions("community.program_sessions_by_month", by_month, ()),
    ]


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
        *program_figures(fy, facts),
    ]
