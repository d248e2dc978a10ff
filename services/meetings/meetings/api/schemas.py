"""Response bodies shared by several routers (route-only models live beside their route)."""

from __future__ import annotations

from datetime import date as Date

from pydantic import BaseModel

from kasane.fiscal_year import wareki_label
from kasane.types import IsoDate
from meetings.domain.meeting import Meeting
from meetings.domain.members import Member
from meetings.usecases.deciding import Decided


class MeetingOut(BaseModel):
    meeting_id: str
    type: str  # multilayer_meeting | support_meeting
    date: Date
    fiscal_year: int
    wareki: str
    ad_hoc: bool  # 臨時
    holiday: bool  # the 4th Wednesday was a 祝日/closure day
    holiday_name: str | None
    regular_date: Date | None  # the 4th Wednesday (None for 臨時)
    status: str  # scheduled | held
    held_on: Date | None
    place: str | None = None  # 開催場所
    agenda_items: int

    @classmethod
    def of(cls, meeting: Meeting, agenda_items: int = 0) -> MeetingOut:
        return cls(
            meeting_id=str(meeting.id),
            type=meeting.meeting_type,
            date=meeting.meeting_date,
            fiscal_year=meeting.fiscal_year,
            wareki=wareki_label(meeting.fiscal_year),
            ad_hoc=meeting.ad_hoc,
            holiday=meeting.holiday,
            holiday_name=meeting.holiday_name,
            regular_date=meeting.regular_date,
            status=meeting.status,
            held_on=meeting.held_on,
            place=meeting.place,
            agenda_items=agenda_items,
        )


class MemberOut(BaseModel):
    agency_id: str
    source: str
    case_ids: list[str]
    pledged_on: Date | None  # the agency's pledge for the meeting's fiscal year
    admitted_on: Date | None = None  # 社協's decision that it takes part (支援会議)

    @classmethod
    def of(cls, member: Member) -> MemberOut:
        return cls(
            agency_id=member.agency_id,
            source=member.source,
            case_ids=sorted(str(c) for c in member.case_ids),
            pledged_on=member.pledged_on,
            admitted_on=member.admitted_on,
        )


class DecisionOut(BaseModel):
    decision_id: str
    agenda_item_id: str
    outcome: str
    decided_on: IsoDate
    plan_id: str | None
    plan_status: str | None
    roles_assigned: list[str]
    gap_ids: list[str]
    events: list[str]  # event types published (CaseDiscussed, PlanApproved, ...)

    @classmethod
    def of(cls, decided: Decided) -> DecisionOut:
        return cls(
            decision_id=str(decided.decision_id),
            agenda_item_id=str(decided.agenda_item_id),
            outcome=decided.outcome,
            decided_on=decided.decided_on,
            plan_id=str(decided.plan_id) if decided.plan_id else None,
            plan_status=decided.plan_status,
            roles_assigned=decided.roles_assigned,
            gap_ids=[str(g) for g in decided.gap_ids],
            events=decided.events,
        )
