"""The demo year as data: a pure function of (seed, fiscal year, scale).

Same arguments, same plan — names, dates, codes and figures — so a demo can be repeated
and its expected figures computed without running anything (``kasane_dev.demo.summary``).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from kasane.reference.partners import active_partners
from kasane.reference.school_districts import school_districts
from kasane_dev.demo import community_plan
from kasane_dev.demo.days import FiscalDays, office_hours
from kasane_dev.demo.mix import (
    CHANNELS,
    CONSULTED_BY,
    JIRITSU_NEW_CASES,
    VOLUMES,
    WALKIN_OUTCOMES,
    age_for,
    issue_codes,
    pick,
)
from kasane_dev.demo.model import (
    Case,
    Consultation,
    DemoPlan,
    Referral,
    Resource,
    SurveyAnswer,
    WatchReport,
)
from kasane_dev.demo.people import PeopleFactory, age_band
from kasane_dev.demo.stories import PLAN_TARGETS, SITUATION_CODES, StoryBuilder, scaled
from kasane_dev.demo.texts import BETWEEN_SYSTEMS_REASONS

# ふれあいの会 見守り訪問活動件数, R7 target (seed 第3).
WATCH_VISITS_TARGET = 296_000
# Monthly rhythm of visits, April … March (summer heat and the New Year are quieter).
MONTH_FACTORS = (1.0, 1.02, 0.98, 1.0, 0.9, 1.0, 1.03, 1.02, 0.97, 0.92, 1.0, 1.05)
# 市民意識調査: share answering "yes", drawn near (not at) the R7 targets.
SURVEY_RATES = {
    "mutual_support": (0.66, 0.70),
    "someone_to_ask": (0.83, 0.87),
    "can_counsel": (0.25, 0.29),
}


def generate(seed: int, fiscal_year: int = 2025, scale: float = 1.0) -> DemoPlan:
    if scale <= 0:
        raise ValueError("scale must be positive")
    days = FiscalDays(fiscal_year)
    people = PeopleFactory(seed, days.first)
    resources = _resources(random.Random(f"{seed}:resources"), scale)
    stories = StoryBuilder(random.Random(f"{seed}:stories"), days, people, resources)
    counts = _plan_counts(random.Random(f"{seed}:counts"), scale)
    stories.multiagency(counts["multiagency"])
    stories.outreach(counts["outreach"], scaled(12, scale))
    stories.participation(counts["participation"], scaled(4, scale))
    stories.referrals(scaled(60, scale))
    stories.support_meetings(scaled(26, scale))
    walkins = _walkins(random.Random(f"{seed}:walkins"), days, stories.cases, scale)
    cases = [*stories.cases, *walkins]
    # Own random streams, drawn after the rest: the year's other figures stay as they were.
    cases = _partner_referrals(random.Random(f"{seed}:partners"), cases, scaled(3, scale))
    cases = _reopenings(random.Random(f"{seed}:reopen"), days, cases, scaled(2, scale))
    return DemoPlan(
        seed=seed,
        fiscal_year=fiscal_year,
        scale=scale,
        meeting_days=days.meeting_days,
        cases=tuple(cases),
        support_items=tuple(stories.support),
        resources=resources,
        watch_reports=_watch_reports(random.Random(f"{seed}:watch"), days),
        survey=_survey(random.Random(f"{seed}:survey")),
        concerns=community_plan.concerns(random.Random(f"{seed}:concerns"), days, scale),
        councils=community_plan.councils(random.Random(f"{seed}:councils"), days, scale),
        activity=community_plan.activity(random.Random(f"{seed}:activity"), days),
        records=community_plan.records(random.Random(f"{seed}:records"), days, stories.cases),
    )


# What each kind of 連携機関 is asked to help with (issue codes of the referral).
PARTNER_REASONS = {
    "employment_support": ("employment", "poverty"),
    "housing_support": ("housing", "poverty"),
    "medical": ("disability",),
}
REOPEN_REASONS = ("same_issue_returned", "situation_worsened")


def case_partners() -> list[str]:
    """The 連携機関 a demo case may be referred to: active, and allowed to read the case."""
    return sorted(p.id for p in active_partners() if p.may_hold_case_access)


def _partner_referrals(rng: random.Random, cases: list[Case], n: int) -> list[Case]:
    """つなぎ to a 連携機関: ``n`` consented つなぎ cases also referred to a partner (a
    ハローワーク for a job search, a 居住支援団体 for housing), on the same consent."""
    partners = case_partners()
    candidates = [
        c
        for c in cases
        if c.household is not None
        and c.consent_on is not None
        and c.referrals
        and all(r.to_agency for r in c.referrals)  # つなぎ stories, not program cases
    ]
    chosen = {c.key for c in rng.sample(candidates, min(n, len(candidates)))}
    found, i = [], 0
    for case in cases:
        if case.key in chosen:
            assert case.household is not None
            partner = partners[i % len(partners)]
            kind = next(p.kind for p in active_partners() if p.id == partner)
            reasons = PARTNER_REASONS.get(kind, SITUATION_CODES[case.household.situation][:1])
            extra = Referral(f"ref-pt-{i:03d}", partner, None, reasons, complete=False)
            case = replace(case, referrals=(*case.referrals, extra))
            i += 1
        found.append(case)
    return found


def _reopenings(rng: random.Random, days: FiscalDays, cases: list[Case], n: int) -> list[Case]:
    """ケース再開: ``n`` window cases closed early enough come back within the year."""
    candidates = [
        c
        for c in cases
        if c.closed is not None
        and c.household is None
        and c.closed[1] <= days.last - timedelta(days=45)
    ]
    chosen = {c.key for c in rng.sample(candidates, min(n, len(candidates)))}
    found = []
    for case in cases:
        if case.key in chosen and case.closed is not None:
            closed_on = case.closed[1]
            on = days.business_between(
                rng, closed_on + timedelta(days=14), closed_on + timedelta(days=40)
            )
            case = replace(case, reopened=(rng.choice(REOPEN_REASONS), on))
        found.append(case)
    return found


def _plan_counts(rng: random.Random, scale: float) -> dict[str, int]:
    # Close to the targets: within ±2 at scale 1.0.
    return {
        program: max(1, round((target + rng.randint(-2, 2)) * scale))
        for program, target in PLAN_TARGETS.items()
    }


def _walkins(rng: random.Random, days: FiscalDays, stories: list[Case], scale: float) -> list[Case]:
    """Consultations without a named household, up to each agency's yearly volume."""
    volumes = {agency: rng.randint(*span) for agency, span in VOLUMES.items()}
    volumes["jiritsu"] = round(JIRITSU_NEW_CASES * rng.uniform(0.96, 1.02))
    taken: dict[str, int] = {}
    for case in stories:
        taken[case.agency] = taken.get(case.agency, 0) + 1
    found: list[Case] = []
    for agency, volume in volumes.items():
        for _ in range(max(0, round(volume * scale) - taken.get(agency, 0))):
            found.append(_walkin(rng, days, agency, f"case-{len(stories) + len(found) + 1:04d}"))
    return found


def _walkin(rng: random.Random, days: FiscalDays, agency: str, key: str) -> Case:
    district = rng.choice([d.code for d in school_districts()])
    opened = rng.choice(days.business)
    codes = issue_codes(rng, agency)
    between = rng.choice(BETWEEN_SYSTEMS_REASONS) if rng.random() < 0.02 else None
    outcome = pick(rng, WALKIN_OUTCOMES)
    consultations = [_consultation(rng, opened, codes, outcome, between)]
    if rng.random() < 0.15:  # the person came back later in the year
        again = days.business_between(rng, opened + timedelta(days=7), days.last)
        if again > opened:
            consultations.append(_consultation(rng, again, codes[:1], None, None))
    closed = None
    if outcome == "resolved_at_window" and rng.random() < 0.35:
        last = consultations[-1].received_at.date()
        closed = ("resolved", days.business_between(rng, last, last + timedelta(days=30)))
    return Case(
        key=key,
        agency=agency,
        school_district_code=district,
        age_band=age_band(age_for(rng, agency)),
        consultations=tuple(consultations),
        closed=closed,
    )


def _consultation(
    rng: random.Random,
    day: date,
    codes: tuple[str, ...],
    outcome: str | None,
    between: str | None,
) -> Consultation:
    return Consultation(
        received_at=office_hours(rng, day),
        issue_codes=codes,
        channel=pick(rng, CHANNELS),
        consulted_by=pick(rng, CONSULTED_BY),
        urgency=rng.choices(("normal", "high", "emergency"), weights=(88, 10, 2))[0],
        outcome=outcome,
        between_systems_reason=between,
    )


def _resources(rng: random.Random, scale: float) -> tuple[Resource, ...]:
    kinds = (
        ("ibasho", "居場所", "TU,TH", "13:00", "16:00", 15, 64),
        ("ibasho", "居場所", "MO,WE,FR", "10:00", "15:00", 15, None),
        ("work_trial", "就労体験", "MO,TU,WE,TH,FR", "09:30", "15:30", 18, 64),
        ("employment", "就労支援", "MO,WE,FR", "10:00", "16:00", 18, 64),
        ("volunteer", "ボランティア", "SA", "10:00", "12:00", 15, None),
        ("learning", "学び直し", "TU,FR", "14:00", "17:00", 15, 39),
    )
    count = max(len(kinds), round(8 * scale))
    found = []
    for i in range(count):
        category, label, byday, opens, closes, age_min, age_max = kinds[i % len(kinds)]
        found.append(
            Resource(
                key=f"res-{i + 1:02d}",
                organization=f"NPO法人 デモの森{i + 1}",
                name=f"{label}デモハウス{i + 1}",
                category=category,
                school_district_code=rng.choice([d.code for d in school_districts()]),
                capacity=rng.randint(6, 10),
                byday=byday,
                opens_at=opens,
                closes_at=closes,
                age_min=age_min,
                age_max=age_max,
            )
        )
    return tuple(found)


def _watch_reports(rng: random.Random, days: FiscalDays) -> tuple[WatchReport, ...]:
    """Every 校区, every month; the year adds up near the R7 target."""
    districts = [d.code for d in school_districts()]
    weights = {d: rng.uniform(0.6, 1.5) for d in districts}
    total = WATCH_VISITS_TARGET * rng.uniform(0.985, 1.012)
    norm = sum(weights.values()) * sum(MONTH_FACTORS)
    return tuple(
        WatchReport(d, month, round(total * weights[d] * factor / norm * rng.uniform(0.97, 1.03)))
        for month, factor in zip(days.months, MONTH_FACTORS, strict=True)
        for d in districts
    )


def _survey(rng: random.Random) -> tuple[SurveyAnswer, ...]:
    respondents = rng.randint(1500, 1900)
    return tuple(
        SurveyAnswer(q, respondents, round(respondents * rng.uniform(*span)))
        for q, span in SURVEY_RATES.items()
    )
