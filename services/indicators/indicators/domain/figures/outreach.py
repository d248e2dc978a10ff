"""Outreach figures: the engagement funnel, contacts, ends."""

from __future__ import annotations

from collections.abc import Sequence

from indicators.domain.facts import Fact
from indicators.domain.figures.base import (
    STAGES,
    Figure,
    count,
    first_per_subject,
    grouped,
    in_year,
    of_type,
)


def outreach_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    registered = first_per_subject(in_year(of_type(facts, "outreach.OutreachTargetRegistered"), fy))
    furthest: dict[str, Fact] = {}
    for f in of_type(facts, "outreach.EngagementStageChanged"):
        if f.subject_id not in registered or f.code not in STAGES:
            continue
        best = furthest.get(f.subject_id)
        if best is None or STAGES.index(f.code) > STAGES.index(best.code or ""):
            furthest[f.subject_id] = f
    funnel = [count("outreach.funnel", STAGES[0], [r.event_id for r in registered.values()])]
    for level, stage in enumerate(STAGES[1:], start=1):
        reached = [f.event_id for f in furthest.values() if STAGES.index(f.code or "") >= level]
        funnel.append(count("outreach.funnel", stage, reached))
    contacts = in_year(of_type(facts, "outreach.ContactAttempted"), fy)
    ended = in_year(of_type(facts, "outreach.OutreachEnded"), fy)
    return [
        *funnel,
        *grouped("outreach.contacts", ((f.code or "", f.event_id) for f in contacts)),
        count("outreach.ended", "", [f.event_id for f in ended]),
    ]
