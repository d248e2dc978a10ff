"""The demo year as plain data: what the generator produces and the runner sends.

Keys (``case-0001``, ``p-0001`` …) are the demo's own names for things; the services give
their own ids at run time, kept in the journal (``kasane_dev.demo.journal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Program = Literal["multiagency", "outreach", "participation"]
SupportKind = Literal["information_sharing", "watch_policy", "urgent_case"]
SupportOutcome = Literal["share", "watch", "urgent_action", "escalate"]


@dataclass(frozen=True)
class Person:
    key: str
    name: str  # 氏名 (kanji, Faker ja_JP)
    kana: str  # フリガナ matching the kanji (Faker's name pairs)
    birth_date: date
    sex: Literal["female", "male"]
    address: str  # always in the fictional 「久留米市デモ町」
    phone: str | None  # 0942-00-xxxx: a number block not in use
    school_district_code: str


@dataclass(frozen=True)
class Member:
    person: Person
    relationship: str  # intake's 続柄 ids (self, parent, child, …)
    care_role: Literal["carer", "cared_for"] | None


@dataclass(frozen=True)
class Household:
    key: str
    situation: str  # 8050, double_care, young_carer, hikikomori, elderly_alone, …
    members: tuple[Member, ...]

    @property
    def primary(self) -> Person:
        return next(m.person for m in self.members if m.relationship == "self")


@dataclass(frozen=True)
class Consultation:
    received_at: datetime  # JST, a business day in the fiscal year
    issue_codes: tuple[str, ...]
    channel: str
    consulted_by: str
    urgency: Literal["normal", "high", "emergency"]
    outcome: str | None
    narrative: str | None = None  # fictional; stays in intake
    between_systems_reason: str | None = None  # 制度の狭間, when flagged


@dataclass(frozen=True)
class Referral:
    key: str
    to_agency: str | None
    to_program: Program | None
    reason_codes: tuple[str, ...]
    complete: bool  # the receiver reports 支援開始 afterwards


@dataclass(frozen=True)
class Role:
    agency_id: str
    role_code: str
    lead: bool = False


@dataclass(frozen=True)
class Evaluation:
    month: int  # index of the meeting month (0 = April)
    result: Literal["continue", "end"]
    end_kind: Literal["completed", "suspended"] | None = None
    reason_code: str | None = None


@dataclass(frozen=True)
class PlanSpec:
    key: str
    program: Program
    month: int  # approved at this month's 重層的支援会議 (0 = April … 11 = March)
    roles: tuple[Role, ...]
    wishes: str
    goals: tuple[str, ...]
    returned_month: int | None = None  # first discussed and returned (多機関協働 only)
    return_reason: str | None = None
    evaluation: Evaluation | None = None
    gap_category: str | None = None  # a 社会資源 gap raised for the case that month


@dataclass(frozen=True)
class Contact:
    key: str
    method: str  # visit, phone, letter, accompanied_visit
    result: str  # absent, refused, met, talked
    attempted_on: date


@dataclass(frozen=True)
class Outreach:
    key: str
    source: str  # minsei_iin, fureai, council, ibasho, agency, family
    description: str  # fictional 手がかり
    registered_on: date
    contacts: tuple[Contact, ...]
    stages: tuple[tuple[str, date], ...]  # forward stage changes
    plan_submitted_on: date | None  # None: no plan yet (still building trust)


@dataclass(frozen=True)
class Placement:
    resource: str  # Resource.key
    start_after_days: int  # after the approval meeting
    ended_after_days: int | None = None  # after the start
    outcome: str | None = None


@dataclass(frozen=True)
class Participation:
    age_band: str
    school_district_code: str
    steps: tuple[str, ...]  # the plan's ladder
    placements: tuple[Placement, ...]


@dataclass(frozen=True)
class Case:
    key: str
    agency: str
    school_district_code: str
    age_band: str
    consultations: tuple[Consultation, ...]  # the first opens the case
    household: Household | None = None
    consent_on: date | None = None  # 本人同意 for つなぎ (agencies and programs)
    meeting_consent_on: date | None = None  # 同意 for the 重層的支援会議, until the FY ends
    referrals: tuple[Referral, ...] = ()
    plan: PlanSpec | None = None
    outreach: Outreach | None = None
    participation: Participation | None = None
    closed: tuple[str, date] | None = None  # (reason, closed_on)
    reopened: tuple[str, date] | None = None  # ケース再開 after ``closed``: (reason, reopened_on)

    @property
    def opened_on(self) -> date:
        return self.consultations[0].received_at.date()

    @property
    def consent_agencies(self) -> tuple[str, ...]:
        return tuple(sorted({r.to_agency for r in self.referrals if r.to_agency}))

    @property
    def consent_programs(self) -> tuple[Program, ...]:
        return tuple(sorted({r.to_program for r in self.referrals if r.to_program}))

    @property
    def referred_on(self) -> date:
        """The day the case's referrals are made: the day the person consents to つなぎ."""
        return self.consent_on or self.opened_on


@dataclass(frozen=True)
class SupportItem:
    """A case on a 支援会議 agenda (法106条の6: no consent needed)."""

    key: str
    month: int
    case: str  # Case.key
    kind: SupportKind
    outcome: SupportOutcome
    escalate_to: Program | None = None


@dataclass(frozen=True)
class Resource:
    """One of アソウ's own 社会資源 (HSDS-shaped)."""

    key: str
    organization: str
    name: str
    category: str
    school_district_code: str | None
    capacity: int
    byday: str
    opens_at: str
    closes_at: str
    age_min: int | None
    age_max: int | None


@dataclass(frozen=True)
class WatchReport:
    school_district_code: str
    month: str  # yyyy-mm
    visits: int


@dataclass(frozen=True)
class Concern:
    """A 見守りネットワーク report to 社協 (the noticing itself is fictional text)."""

    key: str
    school_district_code: str
    reporter_type: str  # business, minsei_iin, resident, fureai, other
    urgency: Literal["normal", "urgent"]
    issue_codes: tuple[str, ...]
    reported_on: date


@dataclass(frozen=True)
class Council:
    """A 支え合い推進会議 (第2層協議体) held in one 校区."""

    school_district_code: str
    held_on: date
    participants: int
    topic_codes: tuple[str, ...]


@dataclass(frozen=True)
class Activity:
    """One month of a 地域づくり program's activity, as its operator reports it."""

    program_code: str
    month: str  # yyyy-mm
    sessions: int
    participants: int
    # The component or facility (講座, Ⅰ型/Ⅲ型, …) it is reported per, when the program has
    # several (kasane.reference.programs: Program.units).
    component_code: str | None = None


@dataclass(frozen=True)
class CaseRecord:
    """A 支援経過記録 entry on a story case (the body is fictional text)."""

    key: str
    case: str  # Case.key
    kind: Literal["contact", "visit", "call", "note", "meeting"]
    occurred_at: datetime  # JST


@dataclass(frozen=True)
class SurveyAnswer:
    question_id: str
    respondents: int
    yes: int


@dataclass(frozen=True)
class DemoPlan:
    seed: int
    fiscal_year: int
    scale: float
    meeting_days: tuple[date, ...]  # nominal 4th Wednesdays, April … March
    cases: tuple[Case, ...]
    support_items: tuple[SupportItem, ...]
    resources: tuple[Resource, ...]
    watch_reports: tuple[WatchReport, ...]
    survey: tuple[SurveyAnswer, ...]
    concerns: tuple[Concern, ...] = ()
    councils: tuple[Council, ...] = ()
    activity: tuple[Activity, ...] = ()
    records: tuple[CaseRecord, ...] = ()
