"""Meeting and plan figures (plans count in the 年度 of their first approval)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from indicators.domain.facts import Fact
from indicators.domain.figures.base import (
    LEGAL_BASES,
    MEETING_TYPES,
    PROGRAMS,
    Figure,
    count,
    first_per_subject,
    grouped,
    in_year,
    of_type,
)
from indicators.domain.fiscal_years import fiscal_months


def meeting_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    held = in_year(of_type(facts, "meetings.MeetingHeld"), fy)
    discussed = in_year(of_type(facts, "meetings.CaseDiscussed"), fy)
    gaps = in_year(of_type(facts, "meetings.ResourceGapRaised"), fy)
    return [
        *grouped("meetings.held", ((f.kind or "", f.event_id) for f in held), MEETING_TYPES),
        *grouped(
            "meetings.cases_discussed",
            ((f"{f.kind}:{f.code}", f.event_id) for f in discussed),
            [f"{m}:{b}" for m in MEETING_TYPES for b in LEGAL_BASES],
        ),
        count("meetings.resource_gaps", "", [f.event_id for f in gaps]),
    ]


def plan_figures(fy: int, facts: Sequence[Fact], as_of: date) -> list[Figure]:
    # A plan counts as created once, in the 年度 of its first approval
    # (docs/architecture/indicators-facts.md).
    approved = first_per_subject(of_type(facts, "meetings.PlanApproved"))
    ended = first_per_subject(of_type(facts, "meetings.PlanEnded"))
    submitted = in_year(
        of_type(
            facts, "meetings.PlanSubmitted", "outreach.PlanSubmitted", "participation.PlanSubmitted"
        ),
        fy,
    )
    returned = in_year(of_type(facts, "meetings.PlanReturned"), fy)
    created = [f for f in approved.values() if f.fiscal_year == fy]
    active = [
        f
        for pid, f in approved.items()
        if f.on_date <= as_of and not (pid in ended and ended[pid].on_date <= as_of)
    ]
    ended_in_year = [f for f in ended.values() if f.fiscal_year == fy]
    return [
        *grouped("plans.approved", ((f.program or "", f.event_id) for f in created), PROGRAMS),
        *grouped(
            "plans.approved_by_month",
            ((f.on_date.strftime("%Y-%m"), f.event_id) for f in created),
            fiscal_months(fy),
        ),
        *grouped("plans.submitted", ((f.program or "", f.event_id) for f in submitted), PROGRAMS),
        *grouped("plans.returned", ((f.program or "", f.event_id) for f in returned), PROGRAMS),
        *grouped("plans.active", ((f.program or "", f.event_id) for f in active), PROGRAMS),
        *grouped(
            "plans.completed",
            ((f.program or "", f.event_id) for f in ended_in_year if f.kind == "completed"),
            PROGRAMS,
        ),
        *grouped(
            "plans.suspended",
            ((f.program or "", f.event_id) for f in ended_in_year if f.kind == "suspended"),
            PROGRAMS,
        ),
    ]
