"""The demo's own figures (from the plan) and the same figures as indicators reports them.

Counts the demo adds are compared as "after − before" (the stack may hold other data);
the ふれあいの会 total and the survey are compared as they stand, because the demo reports
every 校区 × month and the latest survey load is the one that counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kasane.reference.agencies import consultation_agencies
from kasane.reference.partners import is_known_partner
from kasane_dev.demo.model import DemoPlan

PROGRAMS = ("participation", "outreach", "multiagency")
PROGRAM_JA = {"participation": "参加支援", "outreach": "アウトリーチ", "multiagency": "多機関協働"}
SURVEY_INDICATORS = {
    "mutual_support": "survey_mutual_support",
    "someone_to_ask": "survey_someone_to_ask",
    "can_counsel": "survey_can_counsel",
}


@dataclass(frozen=True)
class Check:
    """One figure: what the demo made, and where indicators has it."""

    label: str
    expected: float
    source: str  # "indicator" | "operation"
    figure: str  # indicator id or operation figure name
    key: str = ""
    additive: bool = True  # compare after − before
    is_percent: bool = False


def percent(yes: int, whole: int) -> float:
    exact = Decimal(100 * yes) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def checks(plan: DemoPlan) -> list[Check]:
    """Every figure the demo expects, in the order it prints them."""
    return [*_intake_checks(plan), *_program_checks(plan), *_community_checks(plan)]


def _intake_checks(plan: DemoPlan) -> list[Check]:
    by_agency = Counter(c.agency for c in plan.cases for _ in c.consultations)
    found = [
        Check(f"相談受付 {a.id}", by_agency[a.id], "operation", "consultations.by_agency", a.id)
        for a in consultation_agencies()
    ]
    found.append(
        Check("相談受付 合計", sum(by_agency.values()), "operation", "consultations.total")
    )
    found.append(
        Check(
            "生活自立支援センター 新規相談受付",
            sum(c.agency == "jiritsu" for c in plan.cases),
            "indicator",
            "jiritsu_new_consultations",
        )
    )
    found.append(
        Check(
            "ケース再開",
            sum(c.reopened is not None for c in plan.cases),
            "operation",
            "cases.reopened",
        )
    )
    return found


def _program_checks(plan: DemoPlan) -> list[Check]:
    found = []
    plans: Counter[str] = Counter(c.plan.program for c in plan.cases if c.plan)
    for program in PROGRAMS:
        found.append(
            Check(
                f"プラン作成件数 {PROGRAM_JA[program]}",
                plans[program],
                "indicator",
                f"plans_{program}",
            )
        )
    found.extend(_referrals(plan))
    found.append(
        Check(
            "参加支援 参加開始",
            sum(c.participation is not None for c in plan.cases),
            "operation",
            "participation.started",
        )
    )
    for meeting_type, label in (
        ("multilayer_meeting", "重層的支援会議"),
        ("support_meeting", "支援会議"),
    ):
        found.append(Check(f"{label} 開催", 12, "operation", "meetings.held", meeting_type))
    found.append(
        Check(
            "アウトリーチ 対象登録",
            sum(c.outreach is not None for c in plan.cases),
            "operation",
            "outreach.funnel",
            "not_contacted",
        )
    )
    placements = Counter(
        next(r.category for r in plan.resources if r.key == p.resource)
        for c in plan.cases
        if c.participation
        for p in c.participation.placements
    )
    for category, n in sorted(placements.items()):
        found.append(
            Check(
                f"参加支援 受け入れ開始 {category}",
                n,
                "operation",
                "participation.placements_started",
                category,
            )
        )
    return found


def _community_checks(plan: DemoPlan) -> list[Check]:
    found = [
        Check(
            "見守り訪問活動件数（ふれあいの会）",
            sum(w.visits for w in plan.watch_reports),
            "indicator",
            "watch_visits",
            additive=False,
        )
    ]
    for answer in plan.survey:
        found.append(
            Check(
                f"市民意識調査 {answer.question_id} (%)",
                percent(answer.yes, answer.respondents),
                "indicator",
                SURVEY_INDICATORS[answer.question_id],
                additive=False,
                is_percent=True,
            )
        )
    found.extend(_community(plan))
    return found


def _referrals(plan: DemoPlan) -> list[Check]:
    """つなぎ: every referral is made and accepted in the year (dated by when it happened)."""
    by_sender = Counter(c.agency for c in plan.cases for _ in c.referrals)
    total = sum(by_sender.values())
    return [
        Check("つなぎ 依頼", total, "operation", "referrals.requested"),
        *(
            Check(f"つなぎ 依頼 {agency}", n, "operation", "referrals.requested_by_agency", agency)
            for agency, n in sorted(by_sender.items())
        ),
        Check("つなぎ 受理", total, "operation", "referrals.accepted"),
        *_partner_referrals(plan),
    ]


def _partner_referrals(plan: DemoPlan) -> list[Check]:
    """つなぎ to a 連携機関, by partner and month requested (a partner never sends one)."""
    received = Counter(
        f"{r.to_agency}|{c.referred_on:%Y-%m}"
        for c in plan.cases
        for r in c.referrals
        if r.to_agency is not None and is_known_partner(r.to_agency)
    )
    return [
        Check(
            f"つなぎ 連携機関 {key.replace('|', ' ')}",
            n,
            "operation",
            "referrals.received_by_agency_month",
            key,
        )
        for key, n in sorted(received.items())
    ]


def _community(plan: DemoPlan) -> list[Check]:
    """見守りネットワーク concerns (by urgency) and 支え合い推進会議 held in the year."""
    by_urgency = Counter(c.urgency for c in plan.concerns)
    return [
        *(
            Check(f"見守りネットワーク 通報 {u}", n, "operation", "community.concerns", u)
            for u, n in sorted(by_urgency.items())
        ),
        Check(
            "支え合い推進会議 開催", len(plan.councils), "operation", "community.support_councils"
        ),
    ]


@dataclass(frozen=True)
class Snapshot:
    """indicators' figures for one fiscal year at one moment."""

    indicators: dict[str, float | None]
    operations: dict[tuple[str, str], float]

    @classmethod
    def of(cls, indicators: dict[str, Any], operations: dict[str, Any]) -> Snapshot:
        return cls(
            indicators={row["id"]: row["actual"] for row in indicators["indicators"]},
            operations={
                (f["figure"], f["key"]): float(f["value"])
                for f in operations["figures"]
                if f["value"] is not None  # e.g. the median of nothing
            },
        )

    def value(self, check: Check) -> float:
        if check.source == "indicator":
            return float(self.indicators.get(check.figure) or 0)
        return self.operations.get((check.figure, check.key), 0.0)


def observed(check: Check, before: Snapshot, after: Snapshot) -> float:
    value = after.value(check)
    return value - before.value(check) if check.additive else value


def mismatches(found: list[Check], before: Snapshot, after: Snapshot) -> list[Check]:
    return [c for c in found if abs(observed(c, before, after) - c.expected) > 1e-9]


def counts(plan: DemoPlan) -> dict[str, int]:
    """What the demo sends, by kind (printed at the end and kept in the summary file)."""
    households = [c.household for c in plan.cases if c.household]
    return {
        "persons": sum(len(h.members) for h in households),
        "households": len(households),
        "cases": len(plan.cases),
        "consultations": sum(len(c.consultations) for c in plan.cases),
        "referrals": sum(len(c.referrals) for c in plan.cases),
        "partner_referrals": sum(
            r.to_agency is not None and is_known_partner(r.to_agency)
            for c in plan.cases
            for r in c.referrals
        ),
        "support_meeting_items": len(plan.support_items),
        "plans": sum(c.plan is not None for c in plan.cases),
        "plans_returned_first": sum(
            c.plan is not None and c.plan.returned_month is not None for c in plan.cases
        ),
        "plan_evaluations": sum(
            c.plan is not None and c.plan.evaluation is not None for c in plan.cases
        ),
        "outreach_targets": sum(c.outreach is not None for c in plan.cases),
        "outreach_contacts": sum(len(c.outreach.contacts) for c in plan.cases if c.outreach),
        "participants": sum(c.participation is not None for c in plan.cases),
        "placements": sum(len(c.participation.placements) for c in plan.cases if c.participation),
        "resources": len(plan.resources),
        "watch_visit_reports": len(plan.watch_reports),
        "concerns": len(plan.concerns),
        "support_councils": len(plan.councils),
        "program_activity_reports": len(plan.activity),
        "case_records": len(plan.records),
        "cases_reopened": sum(c.reopened is not None for c in plan.cases),
        "watch_visits": sum(w.visits for w in plan.watch_reports),
        "survey_respondents": plan.survey[0].respondents if plan.survey else 0,
    }


def table(found: list[Check], before: Snapshot, after: Snapshot) -> list[str]:
    width = max(_width(c.label) for c in found)
    lines = [f"  {'figure':<{width}}  {'demo':>9}  {'indicators':>10}"]
    for c in found:
        seen = observed(c, before, after)
        mark = "" if abs(seen - c.expected) < 1e-9 else "  ← differs"
        pad = width - _width(c.label) + len(c.label)
        shown = [f"{v:.1f}" if c.is_percent else _num(v) for v in (c.expected, seen)]
        lines.append(f"  {c.label:<{pad}}  {shown[0]:>9}  {shown[1]:>10}{mark}")
    return lines


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:.1f}"


def _width(text: str) -> int:
    # Full-width characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
