"""Participation figures: participants and placements."""

from __future__ import annotations

from collections.abc import Sequence

from indicators.domain.facts import Fact
from indicators.domain.figures.base import (
    Figure,
    count,
    grouped,
    in_year,
    of_type,
)


def participation_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    started = in_year(of_type(facts, "participation.ParticipationStarted"), fy)
    placements = in_year(of_type(facts, "participation.PlacementStarted"), fy)
    placement_ends = in_year(of_type(facts, "participation.PlacementEnded"), fy)
    ended = in_year(of_type(facts, "participation.ParticipationEnded"), fy)
    return [
        count("participation.started", "", [f.event_id for f in started]),
        *grouped(
            "participation.placements_started", ((f.kind or "", f.event_id) for f in placements)
        ),
        *grouped(
            "participation.placements_ended", ((f.code or "", f.event_id) for f in placement_ends)
        ),
        count("participation.ended", "", [f.event_id for f in ended]),
    ]
