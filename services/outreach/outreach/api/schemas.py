"""Response bodies (request bodies are the domain's ``*In`` models)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from kasane.types import IsoDate, IsoDatetime
from outreach.domain.visits import Overdue
from outreach.store.contacts import Contact
from outreach.store.plans import Plan
from outreach.store.targets import StageChangeRecord, TargetListItem
from outreach.usecases.stats import Stats
from outreach.usecases.targets import TargetDetail


def _s(value: UUID | None) -> str | None:
    return None if value is None else str(value)


class TargetCreated(BaseModel):
    target_id: str


class StageChangeOut(BaseModel):
    from_stage: str
    to_stage: str
    changed_on: IsoDate
    reason: str | None
    changed_by: str

    @classmethod
    def of(cls, change: StageChangeRecord) -> StageChangeOut:
        return cls(
            from_stage=change.from_stage,
            to_stage=change.to_stage,
            changed_on=change.changed_on,
            reason=change.reason,
            changed_by=change.changed_by,
        )


class TargetOut(BaseModel):
    target_id: str
    version: int
    status: str  # open | ended
    source: str
    description: str
    school_district_code: str | None
    case_id: str | None
    person_id: str | None
    stage: str
    stage_changed_on: IsoDate
    stage_history: list[StageChangeOut]
    assigned_worker: str | None
    visit_interval_days: int | None
    registered_on: IsoDate
    ended_on: IsoDate | None
    end_reason: str | None
    referral_id: str | None
    updated_at: IsoDatetime

    @classmethod
    def of(cls, detail: TargetDetail) -> TargetOut:
        t = detail.target
        return cls(
            target_id=str(t.id),
            version=t.version,
            status=t.status,
            source=t.source,
            description=t.description,
            school_district_code=t.school_district_code,
            case_id=_s(t.case_id),
            person_id=_s(t.person_id),
            stage=t.stage,
            stage_changed_on=t.stage_changed_on,
            stage_history=[StageChangeOut.of(h) for h in detail.stage_history],
            assigned_worker=t.assigned_worker,
            visit_interval_days=t.visit_interval_days,
            registered_on=t.registered_on,
            ended_on=t.ended_on,
            end_reason=t.end_reason,
            referral_id=_s(t.referral_id),
            updated_at=t.updated_at,
        )


class TargetSummary(BaseModel):
    """Codes only, for work lists: no description."""

    target_id: str
    source: str
    stage: str
    status: str
    school_district_code: str | None
    assigned_worker: str | None
    linked_to_case: bool
    registered_on: IsoDate

    @classmethod
    def of(cls, s: TargetListItem) -> TargetSummary:
        return cls(
            target_id=str(s.id),
            source=s.source,
            stage=s.stage,
            status=s.status,
            school_district_code=s.school_district_code,
            assigned_worker=s.assigned_worker,
            linked_to_case=s.linked,
            registered_on=s.registered_on,
        )


class ContactOut(BaseModel):
    contact_id: str
    target_id: str
    method: str
    result: str
    attempted_on: IsoDate
    note: str | None
    worker: str
    recorded_at: IsoDatetime
    attempted_time: str | None  # "HH:MM" (JST)
    place: str | None
    duration_minutes: int | None

    @classmethod
    def of(cls, c: Contact) -> ContactOut:
        return cls(
            contact_id=str(c.contact_id),
            target_id=str(c.target_id),
            method=c.method,
            result=c.result,
            attempted_on=c.attempted_on,
            note=c.note,
            worker=c.worker,
            recorded_at=c.recorded_at,
            attempted_time=c.attempted_time.strftime("%H:%M") if c.attempted_time else None,
            place=c.place,
            duration_minutes=c.duration_minutes,
        )


class PlanOut(BaseModel):
    plan_id: str
    target_id: str
    case_id: str
    status: str  # submitted | active | returned | ended
    goals: list[str]
    wishes: str | None
    submitted_on: IsoDate
    review_on: IsoDate | None
    approved_on: IsoDate | None
    meeting_id: str | None
    returned_on: IsoDate | None
    return_reason: str | None
    ended_on: IsoDate | None

    @classmethod
    def of(cls, p: Plan) -> PlanOut:
        return cls(
            plan_id=str(p.plan_id),
            target_id=str(p.target_id),
            case_id=str(p.case_id),
            status=p.status,
            goals=list(p.goals),
            wishes=p.wishes,
            submitted_on=p.submitted_on,
            review_on=p.review_on,
            approved_on=p.approved_on,
            meeting_id=_s(p.meeting_id),
            returned_on=p.returned_on,
            return_reason=p.return_reason,
            ended_on=p.ended_on,
        )


class OverdueOut(BaseModel):
    target_id: str
    due_on: IsoDate
    days_overdue: int
    last_visit_on: IsoDate | None
    stage: str
    school_district_code: str | None

    @classmethod
    def of(cls, o: Overdue) -> OverdueOut:
        return cls(
            target_id=str(o.target_id),
            due_on=o.due_on,
            days_overdue=o.days_overdue,
            last_visit_on=o.last_visit_on,
            stage=o.stage,
            school_district_code=o.school_district_code,
        )


class OverdueList(BaseModel):
    as_of: IsoDate
    worker: str | None
    by_worker: dict[str, list[OverdueOut]]


class OutreachStats(BaseModel):
    fiscal_year: int
    registered_by_source: dict[str, int]
    stage_changes_to: dict[str, int]
    contacts_by_result: dict[str, int]
    plans_submitted_by_status: dict[str, int]
    ended_by_reason: dict[str, int]
    open_by_stage: dict[str, int]  # now, not per 年度

    @classmethod
    def of(cls, stats: Stats) -> OutreachStats:
        return cls(fiscal_year=stats.fiscal_year, open_by_stage=stats.open_by_stage, **stats.counts)
