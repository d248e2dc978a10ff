"""Every figure of a fiscal year, computed from fact rows (pure), each with the ids of the
events it counts (traceability). Indicators (report.py) and the operational figures, the
JSON, the downloads and the dashboard all read from this one computation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from indicators.domain.facts import Consultation, Fact
from indicators.domain.fiscal_years import fiscal_months, jst_date
from indicators.domain.stats import percent, percentile, round1

Value = int | float | None

PROGRAMS: tuple[str, ...] = ("participation", "outreach", "multiagency")
MEETING_TYPES: tuple[str, ...] = ("multilayer_meeting", "support_meeting")
LEGAL_BASES: tuple[str, ...] = ("consent", "support_meeting")
# アウトリーチの関わりの段階, in order (outreach.EngagementStageChanged.to_stage).
STAGES: tuple[str, ...] = (
    "not_contacted",
    "contacted",
    "relationship",
    "support_started",
    "stable",
)


@dataclass(frozen=True)
class Figure:
    figure: str  # e.g. "consultations.by_agency"
    key: str  # the breakdown value ("jiritsu", "2025-04", ...); "" for a single number
    value: Value
    event_ids: tuple[UUID, ...]


class Figures:
    """The figures of one year, looked up by (figure, key)."""

    def __init__(self, fiscal_year: int, figures: Iterable[Figure]) -> None:
        self.fiscal_year = fiscal_year
        self.all: list[Figure] = list(figures)
        self._index = {(f.figure, f.key): f for f in self.all}

    def get(self, figure: str, key: str = "") -> Figure | None:
        return self._index.get((figure, key))

    def value(self, figure: str, key: str = "") -> Value:
        found = self.get(figure, key)
        return found.value if found else 0

    def series(self, figure: str) -> list[Figure]:
        return [f for f in self.all if f.figure == figure]


def _count(figure: str, key: str, ids: Sequence[UUID]) -> Figure:
    return Figure(figure, key, len(ids), tuple(ids))


def _grouped(
    figure: str, pairs: Iterable[tuple[str, UUID]], keys: Sequence[str] = ()
) -> list[Figure]:
    groups: dict[str, list[UUID]] = {k: [] for k in keys}
    for key, event_id in pairs:
        groups.setdefault(key, []).append(event_id)
    ordered = list(keys) + sorted(k for k in groups if k not in keys)
    return [_count(figure, k, groups[k]) for k in ordered]


def _of_type(facts: Iterable[Fact], *types: str) -> list[Fact]:
    return [f for f in facts if f.event_type in types]


def _in_year(facts: Iterable[Fact], fiscal_year: int) -> list[Fact]:
    return [f for f in facts if f.fiscal_year == fiscal_year]


def _first_per_subject(facts: Iterable[Fact]) -> dict[str, Fact]:
    first: dict[str, Fact] = {}
    for f in sorted(facts, key=lambda f: (f.on_date, f.occurred_at, f.event_id)):
        first.setdefault(f.subject_id, f)
    return first


def consultation_figures(fy: int, consultations: Sequence[Consultation]) -> list[Figure]:
    ids = [c.event_id for c in consultations]
    complex_ids = [c.event_id for c in consultations if c.is_complex]
    between_ids = [c.event_id for c in consultations if c.between_systems]
    months = fiscal_months(fy)
    out = [
        _count("consultations.total", "", ids),
        *_grouped("consultations.by_agency", ((c.agency_id, c.event_id) for c in consultations)),
        *_grouped(
            "consultations.by_issue",
            ((code, c.event_id) for c in consultations for code in c.issue_codes),
        ),
        *_grouped(
            "consultations.by_month",
            ((jst_date(c.received_at).strftime("%Y-%m"), c.event_id) for c in consultations),
            months,
        ),
        *_grouped(
            "consultations.by_agency_month",
            ((f"{c.agency_id}|{jst_date(c.received_at):%Y-%m}", c.event_id) for c in consultations),
        ),
        _count("consultations.complex", "", complex_ids),
        Figure(
            "consultations.complex_share",
            "",
            percent(len(complex_ids), len(ids)),
            tuple(complex_ids),
        ),
        _count("consultations.between_systems", "", between_ids),
        Figure(
            "consultations.between_systems_share",
            "",
            percent(len(between_ids), len(ids)),
            tuple(between_ids),
        ),
    ]
    return out


def case_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    opened = _in_year(_of_type(facts, "intake.CaseOpened"), fy)
    escalated = _in_year(_of_type(facts, "intake.CaseEscalated"), fy)
    closed = _in_year(_of_type(facts, "intake.CaseClosed"), fy)
    return [
        *_grouped("cases.opened_by_agency", ((f.agency_id or "", f.event_id) for f in opened)),
        *_grouped(
            "cases.escalated_by_program",
            ((f.program or "", f.event_id) for f in escalated),
            PROGRAMS,
        ),
        _count("cases.closed", "", [f.event_id for f in closed]),
    ]


def referral_figures(fy: int, facts: Sequence[Fact], today: date) -> list[Figure]:
    requested = _first_per_subject(_in_year(_of_type(facts, "referral.ReferralRequested"), fy))
    responses: dict[str, dict[str, Fact]] = defaultdict(dict)
    for f in sorted(
        _of_type(
            facts,
            "referral.ReferralAccepted",
            "referral.ReferralDeclined",
            "referral.ReferralRevoked",
        ),
        key=lambda f: (f.occurred_at, f.event_id),
    ):
        responses[f.subject_id].setdefault(f.event_type, f)
    accepted: list[tuple[Fact, Fact]] = []
    declined: list[Fact] = []
    overdue: list[UUID] = []
    late: list[UUID] = []
    for rid, req in requested.items():
        got = responses.get(rid, {})
        acc = got.get("referral.ReferralAccepted")
        dec = got.get("referral.ReferralDeclined")
        answer = acc or dec
        if acc:
            accepted.append((req, acc))
        if dec:
            declined.append(dec)
        if answer is None and "referral.ReferralRevoked" not in got:
            if req.due_on is not None and req.due_on < today:
                overdue.append(req.event_id)
        elif answer is not None and req.due_on is not None and answer.on_date > req.due_on:
            late.extend([req.event_id, answer.event_id])
    days = [
        (acc.at - req.at).total_seconds() / 86400
        for req, acc in accepted
        if acc.at is not None and req.at is not None
    ]
    pair_ids = tuple(i for req, acc in accepted for i in (req.event_id, acc.event_id))
    median, p90 = percentile(days, 0.5), percentile(days, 0.9)
    return [
        _count("referrals.requested", "", [r.event_id for r in requested.values()]),
        *_grouped(
            "referrals.requested_by_agency",
            ((r.agency_id or "", r.event_id) for r in requested.values()),
        ),
        _count("referrals.accepted", "", [a.event_id for _, a in accepted]),
        _count("referrals.declined", "", [d.event_id for d in declined]),
        Figure(
            "referrals.acceptance_days_median",
            "",
            None if median is None else round1(median),
            pair_ids,
        ),
        Figure("referrals.acceptance_days_p90", "", None if p90 is None else round1(p90), pair_ids),
        _count("referrals.overdue_open", "", overdue),
        Figure("referrals.answered_late", "", len(late) // 2, tuple(late)),
    ]


def meeting_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    held = _in_year(_of_type(facts, "meetings.MeetingHeld"), fy)
    discussed = _in_year(_of_type(facts, "meetings.CaseDiscussed"), fy)
    gaps = _in_year(_of_type(facts, "meetings.ResourceGapRaised"), fy)
    return [
        *_grouped("meetings.held", ((f.kind or "", f.event_id) for f in held), MEETING_TYPES),
        *_grouped(
            "meetings.cases_discussed",
            ((f"{f.kind}:{f.code}", f.event_id) for f in discussed),
            [f"{m}:{b}" for m in MEETING_TYPES for b in LEGAL_BASES],
        ),
        _count("meetings.resource_gaps", "", [f.event_id for f in gaps]),
    ]


def plan_figures(fy: int, facts: Sequence[Fact], as_of: date) -> list[Figure]:
    # A plan counts as created once, in the 年度 of its first approval
    # (docs/architecture/indicators-facts.md).
    approved = _first_per_subject(_of_type(facts, "meetings.PlanApproved"))
    ended = _first_per_subject(_of_type(facts, "meetings.PlanEnded"))
    submitted = _in_year(
        _of_type(
            facts, "meetings.PlanSubmitted", "outreach.PlanSubmitted", "participation.PlanSubmitted"
        ),
        fy,
    )
    returned = _in_year(_of_type(facts, "meetings.PlanReturned"), fy)
    created = [f for f in approved.values() if f.fiscal_year == fy]
    active = [
        f
        for pid, f in approved.items()
        if f.on_date <= as_of and not (pid in ended and ended[pid].on_date <= as_of)
    ]
    ended_in_year = [f for f in ended.values() if f.fiscal_year == fy]
    return [
        *_grouped("plans.approved", ((f.program or "", f.event_id) for f in created), PROGRAMS),
        *_grouped(
            "plans.approved_by_month",
            ((f.on_date.strftime("%Y-%m"), f.event_id) for f in created),
            fiscal_months(fy),
        ),
        *_grouped("plans.submitted", ((f.program or "", f.event_id) for f in submitted), PROGRAMS),
        *_grouped("plans.returned", ((f.program or "", f.event_id) for f in returned), PROGRAMS),
        *_grouped("plans.active", ((f.program or "", f.event_id) for f in active), PROGRAMS),
        *_grouped(
            "plans.completed",
            ((f.program or "", f.event_id) for f in ended_in_year if f.kind == "completed"),
            PROGRAMS,
        ),
        *_grouped(
            "plans.suspended",
            ((f.program or "", f.event_id) for f in ended_in_year if f.kind == "suspended"),
            PROGRAMS,
        ),
    ]


def outreach_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    registered = _first_per_subject(
        _in_year(_of_type(facts, "outreach.OutreachTargetRegistered"), fy)
    )
    furthest: dict[str, Fact] = {}
    for f in _of_type(facts, "outreach.EngagementStageChanged"):
        if f.subject_id not in registered or f.code not in STAGES:
            continue
        best = furthest.get(f.subject_id)
        if best is None or STAGES.index(f.code) > STAGES.index(best.code or ""):
            furthest[f.subject_id] = f
    funnel = [_count("outreach.funnel", STAGES[0], [r.event_id for r in registered.values()])]
    for level, stage in enumerate(STAGES[1:], start=1):
        reached = [f.event_id for f in furthest.values() if STAGES.index(f.code or "") >= level]
        funnel.append(_count("outreach.funnel", stage, reached))
    contacts = _in_year(_of_type(facts, "outreach.ContactAttempted"), fy)
    ended = _in_year(_of_type(facts, "outreach.OutreachEnded"), fy)
    return [
        *funnel,
        *_grouped("outreach.contacts", ((f.code or "", f.event_id) for f in contacts)),
        _count("outreach.ended", "", [f.event_id for f in ended]),
    ]


def participation_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    started = _in_year(_of_type(facts, "participation.ParticipationStarted"), fy)
    placements = _in_year(_of_type(facts, "participation.PlacementStarted"), fy)
    placement_ends = _in_year(_of_type(facts, "participation.PlacementEnded"), fy)
    ended = _in_year(_of_type(facts, "participation.ParticipationEnded"), fy)
    return [
        _count("participation.started", "", [f.event_id for f in started]),
        *_grouped(
            "participation.placements_started", ((f.kind or "", f.event_id) for f in placements)
        ),
        *_grouped(
            "participation.placements_ended", ((f.code or "", f.event_id) for f in placement_ends)
        ),
        _count("participation.ended", "", [f.event_id for f in ended]),
    ]


def effective_watch_reports(fy: int, facts: Sequence[Fact]) -> list[Fact]:
    """Per 校区 and month, the latest revision (a correction replaces, never adds)."""
    latest: dict[str, Fact] = {}
    for f in _in_year(_of_type(facts, "community.WatchVisitsReported"), fy):
        best = latest.get(f.subject_id)
        rank = (f.revision or 0, f.occurred_at, f.event_id)
        if best is None or rank > (best.revision or 0, best.occurred_at, best.event_id):
            latest[f.subject_id] = f
    return sorted(latest.values(), key=lambda f: f.subject_id)


def _summed(
    figure: str, facts: Iterable[tuple[str, Fact]], keys: Sequence[str] = ()
) -> list[Figure]:
    groups: dict[str, list[Fact]] = {k: [] for k in keys}
    for key, f in facts:
        groups.setdefault(key, []).append(f)
    ordered = list(keys) + sorted(k for k in groups if k not in keys)
    return [
        Figure(
            figure, k, sum(f.amount or 0 for f in groups[k]), tuple(f.event_id for f in groups[k])
        )
        for k in ordered
    ]


def community_figures(fy: int, facts: Sequence[Fact]) -> list[Figure]:
    reports = effective_watch_reports(fy, facts)
    concerns = _in_year(_of_type(facts, "community.ConcernReported"), fy)
    councils = _in_year(_of_type(facts, "community.SupportCouncilHeld"), fy)
    return [
        *_summed("community.watch_visits", (("", f) for f in reports), [""]),
        *_summed(
            "community.watch_visits_by_month",
            ((f.code or "", f) for f in reports),
            fiscal_months(fy),
        ),
        *_summed("community.watch_visits_by_district", ((f.kind or "", f) for f in reports)),
        *_grouped("community.concerns", ((f.kind or "", f.event_id) for f in concerns)),
        _count("community.support_councils", "", [f.event_id for f in councils]),
    ]


def compute(
    fy: int,
    consultations: Sequence[Consultation],
    facts: Sequence[Fact],
    as_of: date,
    today: date,
) -> Figures:
    return Figures(
        fy,
        [
            *consultation_figures(fy, consultations),
            *case_figures(fy, facts),
            *referral_figures(fy, facts, today),
            *meeting_figures(fy, facts),
            *plan_figures(fy, facts, as_of),
            *outreach_figures(fy, facts),
            *participation_figures(fy, facts),
            *community_figures(fy, facts),
        ],
    )
