"""intake's figures: consultations received (their own table) and cases."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from uuid import UUID

from indicators.domain.facts import Consultation, Fact
from indicators.domain.figures.base import (
    PROGRAMS,
    Figure,
    count,
    grouped,
    in_year,
    of_type,
)
from indicators.domain.fiscal_years import fiscal_months, jst_date
from indicators.domain.stats import percent


def new_consultations(
    consultations: Sequence[Consultation], earlier: Collection[tuple[str, UUID]] = ()
) -> list[Consultation]:
    """新規相談受付: the consultations that are a case's first at their agency — the case
    opened there, or referred in and taken up there — as the national 新規相談受付件数
    counts them. A later consultation of the same case at the same agency (this year, or
    ``earlier``: the pairs already consulted in a past year) is a continuing one. A
    consultation without a case is new."""
    seen = set(earlier)
    new = []
    for c in sorted(consultations, key=lambda c: (c.received_at, c.event_id)):
        if c.case_id is None:
            new.append(c)
            continue
        key = (c.agency_id, c.case_id)
        if key not in seen:
            seen.add(key)
            new.append(c)
    return new


def consultation_figures(
    fy: int,
    consultations: Sequence[Consultation],
    earlier: Collection[tuple[str, UUID]] = (),
) -> list[Figure]:
    new = new_consultations(consultations, earlier)
    ids = [c.event_id for c in consultations]
    complex_ids = [c.event_id for c in consultations if c.is_complex]
    between_ids = [c.event_id for c in consultations if c.between_systems]
    months = fiscal_months(fy)
    out = [
        count("consultations.total", "", ids),
        *grouped("consultations.by_agency", ((c.agency_id, c.event_id) for c in consultations)),
        *grouped(
            "consultations.by_issue",
            ((code, c.event_id) for c in consultations for code in c.issue_codes),
        ),
        *grouped(
            "consultations.by_month",
            ((jst_date(c.received_at).strftime("%Y-%m"), c.event_id) for c in consultations),
            months,
        ),
        *grouped(
            "consultations.by_agency_month",
            ((f"{c.agency_id}|{jst_date(c.received_at):%Y-%m}", c.event_id) for c in consultations),
        ),
        *grouped("consultations.new_by_agency", ((c.agency_id, c.event_id) for c in new)),
        count("consultations.complex", "", complex_ids),
        Figure(
            "consultations.complex_share",
            "",
            percent(len(complex_ids), len(ids)),
            tuple(complex_ids),
        ),
        count("consultations.between_systems", "", between_ids),
        Figure(
            "consultations.between_systems_share",
            "",
            percent(len(between_ids), len(ids)),
            tuple(between_ids),
        ),
    ]
    return out


def case_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    opened = in_year(of_type(facts, "intake.CaseOpened"), fy)
    escalated = in_year(of_type(facts, "intake.CaseEscalated"), fy)
    closed = in_year(of_type(facts, "intake.CaseClosed"), fy)
    return [
        *grouped("cases.opened_by_agency", ((f.agency_id or "", f.event_id) for f in opened)),
        *grouped(
            "cases.escalated_by_program",
            ((f.program or "", f.event_id) for f in escalated),
            PROGRAMS,
        ),
        count("cases.closed", "", [f.event_id for f in closed]),
    ]
