"""Story cases: named households whose year runs through referrals, meetings and programs.

Each program's plans are spread over the twelve monthly 重層的支援会議; everything a plan
needs (the case, consents, outreach contacts) is dated before its meeting, and whatever
follows the approval (placements) is dated after it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from kasane.reference.school_districts import school_districts
from kasane_dev.demo.days import FiscalDays, office_hours
from kasane_dev.demo.mix import CHANNELS, CONSULTED_BY, pick
from kasane_dev.demo.model import (
    Case,
    Consultation,
    Contact,
    Evaluation,
    Household,
    Outreach,
    Participation,
    Placement,
    PlanSpec,
    Program,
    Referral,
    Resource,
    Role,
    SupportItem,
    SupportKind,
    SupportOutcome,
)
from kasane_dev.demo.people import PeopleFactory, age_band, age_on
from kasane_dev.demo.texts import GOALS, NARRATIVES, OUTREACH_CLUES, WISHES

# R7 targets of プラン作成件数 (seed 第3): 参加支援 / アウトリーチ / 多機関協働.
PLAN_TARGETS: dict[Program, int] = {"participation": 24, "outreach": 30, "multiagency": 36}

SITUATION_CODES: dict[str, tuple[str, ...]] = {
    "8050": ("8050", "hikikomori", "elderly_care"),
    "double_care": ("double_care", "childrearing", "elderly_care"),
    "young_carer": ("young_carer", "disability", "school_refusal"),
    "hikikomori": ("hikikomori", "isolation", "employment"),
    "elderly_alone": ("elderly_care", "isolation", "self_neglect"),
    "disability": ("disability", "employment", "8050"),
    "poverty": ("poverty", "debt", "housing"),
}
# Who a situation's household usually consults first.
FIRST_DOOR = {
    "8050": "houkatsu",
    "double_care": "houkatsu",
    "young_carer": "kodomo",
    "hikikomori": "jiritsu",
    "elderly_alone": "houkatsu",
    "disability": "kikan",
    "poverty": "jiritsu",
}
# The agency each situation is connected on to (つなぎ), besides the programs.
CONNECT_TO = {
    "8050": ("kikan", "jiritsu"),
    "double_care": ("kodomo",),
    "young_carer": ("houkatsu", "kikan"),
    "hikikomori": ("kikan",),
    "elderly_alone": ("jiritsu",),
    "disability": ("houkatsu", "jiritsu"),
    "poverty": ("houkatsu", "kodomo"),
}
EXTRA_ROLE = {
    "8050": ("kikan", "disability_support"),
    "double_care": ("kodomo", "child_support"),
    "young_carer": ("houkatsu", "elderly_care"),
    "hikikomori": ("jiritsu", "employment"),
    "elderly_alone": ("jiritsu", "livelihood"),
    "disability": ("jiritsu", "livelihood"),
    "poverty": ("jiritsu", "livelihood"),
}
STORY_OUTCOMES: dict[Program, str] = {
    "multiagency": "to_multiagency",
    "outreach": "to_outreach",
    "participation": "to_participation",
}
GAP_CATEGORIES = ("ibasho", "employment", "housing", "mobility", "care_service", "mental_health")


def area_of(district: str) -> int:
    return int(next(d.daily_life_area for d in school_districts() if d.code == district))


def agency_for(kind: str, district: str) -> str:
    """The agency of that kind serving the 校区 (same sample areas as intake's routing)."""
    area = area_of(district)
    if kind == "houkatsu":
        return f"houkatsu-{area:02d}"
    if kind == "kikan":
        return f"kikan-{(area - 1) * 4 // 11 + 1:02d}"
    return kind


def scaled(n: float, scale: float) -> int:
    return max(1, round(n * scale))


def months_for(n: int, first: int) -> list[int]:
    """``n`` meeting months spread evenly over ``first`` … 11 (0 = April)."""
    span = 12 - first
    return [first + i * span // n for i in range(n)]


@dataclass
class StoryBuilder:
    rng: random.Random
    days: FiscalDays
    people: PeopleFactory
    resources: tuple[Resource, ...]
    cases: list[Case] = field(default_factory=list)
    support: list[SupportItem] = field(default_factory=list)
    _placed: dict[str, int] = field(default_factory=dict)

    # -- shared pieces ---------------------------------------------------------------

    def _district(self) -> str:
        return self.rng.choice([d.code for d in school_districts()])

    def _consultation(
        self, day: date, situation: str, outcome: str | None, channel: str | None = None
    ) -> Consultation:
        rng = self.rng
        codes = SITUATION_CODES[situation]
        return Consultation(
            received_at=office_hours(rng, day),
            issue_codes=tuple(codes[: rng.randint(2, 3)]),
            channel=channel or pick(rng, CHANNELS),
            consulted_by=pick(rng, CONSULTED_BY),
            urgency=rng.choices(("normal", "high"), weights=(85, 15))[0],
            outcome=outcome,
            narrative=rng.choice(NARRATIVES[situation]),
        )

    def _follow_ups(self, opened: date, situation: str) -> list[Consultation]:
        found = []
        for _ in range(self.rng.choices((0, 1, 2), weights=(50, 35, 15))[0]):
            day = self.days.business_between(self.rng, opened + timedelta(days=7), self.days.last)
            found.append(self._consultation(day, situation, None))
        return sorted(found, key=lambda c: c.received_at)

    def _case(
        self,
        situation: str,
        opened: date,
        outcome: str | None,
        *,
        household: Household | None = None,
        agency: str | None = None,
        consent_on: date | None = None,
        meeting_consent_on: date | None = None,
        referrals: tuple[Referral, ...] = (),
        plan: PlanSpec | None = None,
        outreach: Outreach | None = None,
        participation: Participation | None = None,
    ) -> Case:
        household = household or self.people.household(situation, self._district())
        district = household.primary.school_district_code
        first = self._consultation(opened, situation, outcome)
        age = age_on(household.primary.birth_date, opened)
        case = Case(
            key=f"case-{len(self.cases) + 1:04d}",
            agency=agency or agency_for(FIRST_DOOR[situation], district),
            school_district_code=district,
            age_band=age_band(age),
            consultations=(first, *self._follow_ups(opened, situation)),
            household=household,
            consent_on=consent_on,
            meeting_consent_on=meeting_consent_on,
            referrals=referrals,
            plan=plan,
            outreach=outreach,
            participation=participation,
        )
        self.cases.append(case)
        return case

    def _before(self, meeting: int, earliest: int, latest: int) -> date:
        """A business day ``latest``…``earliest`` days before a meeting (not before April)."""
        day = self.days.meeting_days[meeting]
        start = day - timedelta(days=earliest)
        return self.days.business_between(self.rng, start, day - timedelta(days=latest))

    # -- programs ----------------------------------------------------------------------

    def multiagency(self, n: int) -> None:
        rng = self.rng
        situations = (("8050", 30), ("double_care", 22), ("young_carer", 15), ("poverty", 13))
        more = (("elderly_alone", 10), ("disability", 10))
        for i, month in enumerate(months_for(n, 0)):
            situation = pick(rng, (*situations, *more))
            returned = month - 1 if month >= 1 and rng.random() < 0.1 else None
            first = returned if returned is not None else month
            opened = self._before(first, 110, 21)
            consent_on = self.days.business_between(rng, opened, opened + timedelta(days=7))
            meeting_consent = self.days.business_between(
                rng, consent_on, self.days.meeting_days[first] - timedelta(days=7)
            )
            evaluation = self._evaluation(month) if month <= 8 and rng.random() < 0.45 else None
            household = self.people.household(situation, self._district())
            district = household.primary.school_district_code
            owner = agency_for(FIRST_DOOR[situation], district)
            extra_kind, extra_role = EXTRA_ROLE[situation]
            extra = agency_for(extra_kind, district)
            roles = [Role(owner, "consultation", lead=True), Role("shakyo", "coordination")]
            if extra != owner:
                roles.append(Role(extra, extra_role))
            referrals = [
                Referral(
                    f"ref-ma-{i:03d}", None, "multiagency", SITUATION_CODES[situation][:2], False
                )
            ]
            if extra != owner and rng.random() < 0.5:
                referrals.append(
                    Referral(f"ref-ma-{i:03d}-a", extra, None, SITUATION_CODES[situation][:1], True)
                )
            plan = PlanSpec(
                key=f"plan-ma-{i:03d}",
                program="multiagency",
                month=month,
                roles=tuple(roles),
                wishes=rng.choice(WISHES["multiagency"]),
                goals=tuple(rng.sample(GOALS["multiagency"], 2)),
                returned_month=returned,
                return_reason=rng.choice(("insufficient_assessment", "roles_unclear"))
                if returned is not None
                else None,
                evaluation=evaluation,
                gap_category=rng.choice(GAP_CATEGORIES) if rng.random() < 0.25 else None,
            )
            self._case(
                situation,
                opened,
                "to_multiagency",
                household=household,
                agency=owner,
                consent_on=consent_on,
                meeting_consent_on=meeting_consent,
                referrals=tuple(referrals),
                plan=plan,
            )

    def _evaluation(self, approved: int) -> Evaluation:
        """A later 重層的支援会議 ends the plan (終結 mostly, sometimes 中断) or continues it."""
        rng = self.rng
        month = rng.randint(approved + 3, 11)
        if rng.random() >= 0.65:
            return Evaluation(month, "continue")
        if rng.random() < 0.85:
            reason = rng.choice(("goals_achieved", "stabilised", "handed_over"))
            return Evaluation(month, "end", "completed", reason)
        return Evaluation(month, "end", "suspended", rng.choice(("moved", "lost_contact")))

    def outreach(self, n_plans: int, n_waiting: int) -> None:
        rng = self.rng
        months: list[int | None] = [*months_for(n_plans, 1), *([None] * n_waiting)]
        for i, month in enumerate(months):
            situation = pick(rng, (("8050", 45), ("hikikomori", 35), ("elderly_alone", 20)))
            opened, registered, contacts_end = self._outreach_dates(month)
            household = self.people.household(situation, self._district())
            owner = agency_for(FIRST_DOOR[situation], household.primary.school_district_code)
            contacts = self._contacts(f"or-{i:03d}", registered, contacts_end)
            stages = self._stages(contacts)
            consent_on = self.days.business_between(rng, opened, opened + timedelta(days=5))
            meeting_consent, submitted, plan = self._outreach_plan(i, month, owner, contacts)
            outreach = Outreach(
                key=f"or-{i:03d}",
                source=rng.choice(("minsei_iin", "fureai", "council", "agency", "family")),
                description=rng.choice(OUTREACH_CLUES),
                registered_on=registered,
                contacts=contacts,
                stages=stages,
                plan_submitted_on=submitted,
            )
            case = self._case(
                situation,
                opened,
                "to_outreach",
                household=household,
                agency=owner,
                consent_on=consent_on,
                meeting_consent_on=meeting_consent,
                referrals=(Referral(f"ref-or-{i:03d}", None, "outreach", ("hikikomori",), False),),
                plan=plan,
                outreach=outreach,
            )
            self._outreach_support_item(i, month, opened, case.key)

    def _outreach_dates(self, month: int | None) -> tuple[date, date, date]:
        """Opened, registered as a target, and the end of the contacts (before the meeting
        that sees its plan, or 90 days on for one still building trust)."""
        rng = self.rng
        if month is None:  # registered, still building trust: no plan this year
            opened = self.days.business_between(
                rng, self.days.first, self.days.last - timedelta(days=60)
            )
            registered = self.days.business_between(rng, opened, opened + timedelta(days=10))
            return opened, registered, min(registered + timedelta(days=90), self.days.last)
        opened = self._before(month, 120, 35)
        registered = self.days.business_between(rng, opened, opened + timedelta(days=7))
        return opened, registered, self.days.meeting_days[month] - timedelta(days=14)

    def _outreach_plan(
        self, i: int, month: int | None, owner: str, contacts: tuple[Contact, ...]
    ) -> tuple[date | None, date | None, PlanSpec | None]:
        """The meeting consent, submission day and plan of a target with a plan this year."""
        if month is None:
            return None, None, None
        rng = self.rng
        last_contact = contacts[-1].attempted_on
        meeting_day = self.days.meeting_days[month]
        meeting_consent = self.days.business_between(
            rng, last_contact, meeting_day - timedelta(days=10)
        )
        submitted = self.days.business_between(
            rng, meeting_consent, meeting_day - timedelta(days=7)
        )
        plan = PlanSpec(
            key=f"plan-or-{i:03d}",
            program="outreach",
            month=month,
            roles=(Role("shakyo", "outreach", lead=True), Role(owner, "consultation")),
            wishes=rng.choice(WISHES["outreach"]),
            goals=tuple(rng.sample(GOALS["outreach"], 2)),
        )
        return meeting_consent, submitted, plan

    def _outreach_support_item(self, i: int, month: int | None, opened: date, case: str) -> None:
        rng = self.rng
        earlier = month - 1 if month is not None else 0
        if (
            month
            and rng.random() < 0.5
            and opened <= self.days.meeting_days[earlier] - timedelta(days=3)
        ):
            # Discussed first at a 支援会議 (no consent needed), which sent it to outreach.
            self.support.append(
                SupportItem(
                    key=f"sm-or-{i:03d}",
                    month=earlier,
                    case=case,
                    kind="information_sharing",
                    outcome="escalate",
                    escalate_to="outreach",
                )
            )

    def _contacts(self, key: str, start: date, end: date) -> tuple[Contact, ...]:
        rng = self.rng
        n = rng.randint(3, 6)
        days = self.days.spread(rng, start + timedelta(days=1), end, n)
        found = []
        for j, day in enumerate(days):
            if j < n - 2:
                method, result = rng.choice(
                    (("visit", "absent"), ("letter", "absent"), ("visit", "refused"))
                )
            else:
                method = rng.choice(("visit", "accompanied_visit", "phone"))
                result = "talked" if j == n - 1 else rng.choice(("met", "talked"))
            found.append(Contact(f"{key}-c{j}", method, result, day))
        return tuple(found)

    @staticmethod
    def _stages(contacts: tuple[Contact, ...]) -> tuple[tuple[str, date], ...]:
        reached = [c.attempted_on for c in contacts if c.result in ("met", "talked")]
        stages = [("contacted", reached[0])] if reached else []
        if len(reached) >= 2:
            stages.append(("relationship", reached[-1]))
        return tuple(stages)

    def participation(self, n_plans: int, n_waiting: int) -> None:
        rng = self.rng
        months: list[int | None] = [*months_for(n_plans, 1), *([None] * n_waiting)]
        for i, month in enumerate(months):
            situation = pick(rng, (("hikikomori", 55), ("disability", 25), ("poverty", 20)))
            if month is None:
                opened = self.days.business_between(
                    rng, self.days.first, self.days.last - timedelta(days=30)
                )
                meeting_consent = None
            else:
                opened = self._before(month, 100, 28)
                meeting_consent = self.days.business_between(
                    rng, opened, self.days.meeting_days[month] - timedelta(days=7)
                )
            consent_on = self.days.business_between(rng, opened, opened + timedelta(days=5))
            if meeting_consent is not None:
                meeting_consent = max(meeting_consent, consent_on)
            household = self.people.household(situation, self._district())
            district = household.primary.school_district_code
            owner = agency_for(FIRST_DOOR[situation], district)
            steps = ("outing", "ibasho", "work_trial")[: rng.randint(2, 3)]
            plan = None
            placements: tuple[Placement, ...] = ()
            if month is not None:
                plan = PlanSpec(
                    key=f"plan-pa-{i:03d}",
                    program="participation",
                    month=month,
                    roles=(Role("aso", "participation", lead=True), Role(owner, "consultation")),
                    wishes=rng.choice(WISHES["participation"]),
                    goals=tuple(rng.sample(GOALS["participation"], 2)),
                )
                placements = (self._placement(steps[-1] if len(steps) > 2 else "ibasho"),)
            self._case(
                situation,
                opened,
                "to_participation",
                household=household,
                agency=owner,
                consent_on=consent_on,
                meeting_consent_on=meeting_consent,
                referrals=(
                    Referral(f"ref-pa-{i:03d}", None, "participation", (situation,), False),
                ),
                plan=plan,
                participation=Participation(
                    age_band=age_band(age_on(household.primary.birth_date, opened)),
                    school_district_code=district,
                    steps=steps,
                    placements=placements,
                ),
            )

    def _placement(self, category: str) -> Placement:
        rng = self.rng
        fitting = [r for r in self.resources if r.category == category] or list(self.resources)
        free = [r for r in fitting if self._placed.get(r.key, 0) < r.capacity]
        resource = rng.choice(free or list(self.resources))
        self._placed[resource.key] = self._placed.get(resource.key, 0) + 1
        ended = rng.random() < 0.4
        return Placement(
            resource=resource.key,
            start_after_days=rng.randint(7, 28),
            ended_after_days=rng.randint(30, 120) if ended else None,
            outcome=rng.choice(("next_step", "completed")) if ended else None,
        )

    # -- つなぎ and 支援会議 ----------------------------------------------------------------

    def referrals(self, n: int) -> None:
        rng = self.rng
        for i in range(n):
            situation = pick(
                rng,
                (
                    ("8050", 30),
                    ("double_care", 20),
                    ("young_carer", 15),
                    ("poverty", 20),
                    ("disability", 15),
                ),
            )
            household = self.people.household(situation, self._district())
            district = household.primary.school_district_code
            owner = agency_for(FIRST_DOOR[situation], district)
            to = agency_for(rng.choice(CONNECT_TO[situation]), district)
            if to == owner:
                to = "jiritsu" if owner != "jiritsu" else agency_for("houkatsu", district)
            opened = self.days.business_between(
                rng, self.days.first, self.days.last - timedelta(days=14)
            )
            self._case(
                situation,
                opened,
                "connected",
                household=household,
                agency=owner,
                consent_on=self.days.business_between(rng, opened, opened + timedelta(days=5)),
                referrals=(
                    Referral(
                        f"ref-ag-{i:03d}",
                        to,
                        None,
                        SITUATION_CODES[situation][:2],
                        rng.random() < 0.5,
                    ),
                ),
            )

    def support_meetings(self, n: int) -> None:
        """Worrying cases shared at the 支援会議 without consent (法106条の6)."""
        rng = self.rng
        kinds: tuple[tuple[SupportKind, SupportOutcome, int], ...] = (
            ("information_sharing", "share", 45),
            ("watch_policy", "watch", 40),
            ("urgent_case", "urgent_action", 15),
        )
        for i in range(n):
            month = i * 12 // n
            situation = pick(
                rng, (("elderly_alone", 35), ("8050", 25), ("young_carer", 20), ("poverty", 20))
            )
            opened = self._before(month, 45, 10)
            case = self._case(situation, opened, None)
            kind, outcome, _ = rng.choices(kinds, weights=[k[2] for k in kinds])[0]
            self.support.append(SupportItem(f"sm-{i:03d}", month, case.key, kind, outcome))
            if month <= 8 and rng.random() < 0.3:  # followed up a few months later
                later = rng.randint(month + 2, 11)
                self.support.append(
                    SupportItem(f"sm-{i:03d}-b", later, case.key, "watch_policy", "watch")
                )
