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
from kasane.reference import codes as enumeration_codes
from kasane.reference import domains_of, is_valid_issue_code
from kasane.reference.school_districts import active_school_districts

UNKNOWN = ""  # the key of a consultation whose row predates a breakdown column (rebuild fills it)


def _domains(c: Consultation) -> list[str]:
    """分野: each domain the consultation's issue codes touch (a 複合 one counts in each)."""
    return sorted(domains_of([code for code in c.issue_codes if is_valid_issue_code(code)]))


def _area(district: str | None) -> str:
    """日常生活圏域 of a 校区 (the table in force)."""
    table = active_school_districts()
    if district is None or not table.is_valid(district):
        return UNKNOWN
    return table.get(district).daily_life_area


def breakdown_figures(fy: int, consultations: Sequence[Consultation]) -> list[Figure]:
    """The breakdowns the city reports: 分野, 日常生活圏域 and 校区, 相談経路 (受付方法 and
    相談者), 年代, and 複合的な課題 / 制度の狭間 by month."""
    months = fiscal_months(fy)
    table = active_school_districts()

    def month(c: Consultation) -> str:
        return jst_date(c.received_at).strftime("%Y-%m")

    return [
        *grouped(
            "consultations.by_domain",
            ((d, c.event_id) for c in consultations for d in _domains(c)),
            enumeration_codes("domains"),
        ),
        *grouped(
            "consultations.by_area",
            ((_area(c.school_district_code), c.event_id) for c in consultations),
            [a.code for a in table.daily_life_areas],
        ),
        *grouped(
            "consultations.by_district",
            ((c.school_district_code or UNKNOWN, c.event_id) for c in consultations),
        ),
        *grouped(
            "consultations.by_channel",
            ((c.channel or UNKNOWN, c.event_id) for c in consultations),
            enumeration_codes("channels"),
        ),
        *grouped(
            "consultations.by_consulted_by",
            ((c.consulted_by or UNKNOWN, c.event_id) for c in consultations),
            enumeration_codes("consulted_by"),
        ),
        *grouped(
            "consultations.by_age_band",
            ((c.age_band or UNKNOWN, c.event_id) for c in consultations),
            enumeration_codes("age_bands"),
        ),
        *grouped(
            "consultations.complex_by_month",
            ((month(c), c.event_id) for c in consultations if c.is_complex),
            months,
        ),
        *grouped(
            "consultations.between_systems_by_month",
            ((month(c), c.event_id) for c in consultations if c.between_systems),
            months,
        ),
    ]


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
        *grouped(
            "consultations.new_by_agency_month",
            ((f"{c.agency_id}|{jst_date(c.received_at):%Y-%m}", c.event_id) for c in new),
        ),
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
        *breakdown_figures(fy, consultations),
    ]
    return out


def case_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    opened = in_year(of_type(facts, "intake.CaseOpened"), fy)
    escalated = in_year(of_type(facts, "intake.CaseEscalated"), fy)
    closed = in_year(of_type(facts, "intake.CaseClosed"), fy)
    reopened = in_year(of_type(facts, "intake.CaseReopened"), fy)
    return [
        *grouped("cases.opened_by_agency", ((f.agency_id or "", f.event_id) for f in opened)),
        *grouped(
            "cases.opened_by_agency_month",
            ((f"{f.agency_id}|{f.on_date:%Y-%m}", f.event_id) for f in opened),
        ),
        *grouped(
            "cases.escalated_by_program",
            ((f.program or "", f.event_id) for f in escalated),
            PROGRAMS,
        ),
        # Every closure counts, also one a later 再開 undid: 終結 was recorded that day.
        count("cases.closed", "", [f.event_id for f in closed]),
        count("cases.reopened", "", [f.event_id for f in reopened]),
        *grouped("cases.reopened_by_reason", ((f.code or "", f.event_id) for f in reopened)),
    ]
