"""Every figure of a fiscal year, computed from fact rows (pure), each with the ids of the
events it counts (traceability). Indicators (domain/report.py) and the operational figures, the
JSON, the downloads and the dashboard all read from this one computation.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from uuid import UUID

from indicators.domain.facts import Consultation, Fact
from indicators.domain.figures.base import (
    LEGAL_BASES,
    MEETING_TYPES,
    PROGRAMS,
    STAGES,
    Figure,
    Figures,
    Value,
)
from indicators.domain.figures.community import community_figures, effective_watch_reports
from indicators.domain.figures.intake import case_figures, consultation_figures
from indicators.domain.figures.meetings import meeting_figures, plan_figures
from indicators.domain.figures.outreach import outreach_figures
from indicators.domain.figures.participation import participation_figures
from indicators.domain.figures.referral import referral_figures

__all__ = [
    "LEGAL_BASES",
    "MEETING_TYPES",
    "PROGRAMS",
    "STAGES",
    "Figure",
    "Figures",
    "Value",
    "compute",
    "effective_watch_reports",
    "referral_figures",
]


def compute(
    fy: int,
    consultations: Sequence[Consultation],
    facts: Sequence[Fact],
    as_of: date,
    today: date,
    earlier_consulted: Collection[tuple[str, UUID]] = (),
) -> Figures:
    """``earlier_consulted``: (agency, case) pairs consulted before the year (not 新規)."""
    return Figures(
        fy,
        [
            *consultation_figures(fy, consultations, earlier_consulted),
            *case_figures(fy, facts),
            *referral_figures(fy, facts, today),
            *meeting_figures(fy, facts),
            *plan_figures(fy, facts, as_of),
            *outreach_figures(fy, facts),
            *participation_figures(fy, facts),
            *community_figures(fy, facts),
        ],
    )
