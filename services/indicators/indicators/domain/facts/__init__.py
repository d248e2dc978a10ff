"""Events → fact rows (pure). One row per event, keyed by its event id (traceability).

The ``facts`` table has generic columns. Always: ``on_date`` (the business date that decides
the 年度) and ``subject_id`` (the aggregate). Per event type, the rest means:

- intake.CaseOpened: subject case, agency = lead agency (主担当);
- intake.CaseClassified: on_date = occurred_at (JST), codes = issue codes, flags;
- intake.CaseEscalated: agency = by, program, codes = reasons;
- intake.Consent*: subject consent, kind = method; intake.CaseClosed: code = reason;
- referral.*: subject referral, agency = from (or the answering agency), other = to,
  program = to_program, kind = legal basis, at = the instant, due_on;
- meetings.MeetingScheduled/Held: subject meeting, kind = meeting type, amount = items;
- meetings.CaseDiscussed: subject agenda item, kind = meeting type, code = legal basis,
  program = escalated_to, codes = (agenda kind, outcome);
- *.PlanSubmitted, meetings.Plan*: subject plan, program, kind = end kind, code = reason;
- meetings.RolesAssigned: agency = lead, codes = assigned agencies, amount = roles;
- meetings.ResourceGapRaised: kind = category;
- outreach.*: subject target, kind = method / from stage, code = source / result / stage;
- participation.*: subject participant or placement, kind = category, code = outcome;
- community.WatchVisitsReported: subject 校区:month, kind = 校区, code = month,
  amount = visits, revision; on_date = first day of the month;
- community.SupportCouncilHeld: kind = 校区, amount = participants;
- community.ConcernReported: kind = urgency, code = reporter type, codes = issue codes;
- community.Resource*: subject resource, kind = category, amount = capacity;
- community.ProgramActivityReported: program = program code, code = month,
  amount = participants.

``intake.ConsultationReceived`` has its own table (``consultation_facts``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

from indicators.domain.fiscal_years import jst_date
from kasane.events import community, intake, meetings, outreach, participation, referral
from kasane.events.envelope import Envelope, EventContract
from kasane.events.plans import PlanSubmittedBase
from kasane.fiscal_year import fiscal_year_of


@dataclass(frozen=True)
class Fact:
    event_id: UUID
    event_type: str
    occurred_at: datetime
    on_date: date
    subject_id: str
    agency_id: str | None = None
    other_agency_id: str | None = None
    case_id: UUID | None = None
    program: str | None = None
    kind: str | None = None
    code: str | None = None
    codes: tuple[str, ...] = field(default_factory=tuple)
    amount: int | None = None
    revision: int | None = None
    at: datetime | None = None
    due_on: date | None = None
    is_complex: bool | None = None
    between_systems: bool | None = None

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.on_date)

    def row(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["codes"] = list(self.codes)
        values["fiscal_year"] = self.fiscal_year
        return values


@dataclass(frozen=True)
class Consultation:
    event_id: UUID
    agency_id: str
    received_at: datetime
    is_complex: bool
    between_systems: bool
    issue_codes: tuple[str, ...]
    channel: str | None


COLUMNS: tuple[str, ...] = (*(f.name for f in fields(Fact)), "fiscal_year")


def _month_start(month: str) -> date:
    year, mon = month.split("-")
    return date(int(year), int(mon), 1)


def _attributes(envelope: Envelope, event: EventContract) -> dict[str, Any] | None:
    """The type-specific columns; None for a contract that yields no fact."""
    match event:
        case intake.CaseOpened():
            return dict(
                on_date=event.opened_on,
                subject_id=str(event.case_id),
                agency_id=event.lead_agency_id,
                case_id=event.case_id,
            )
        case intake.CaseClassified():
            return dict(
                on_date=jst_date(envelope.occurred_at),
                subject_id=str(event.case_id),
                case_id=event.case_id,
                codes=tuple(event.issue_codes),
                is_complex=event.is_complex,
                between_systems=event.between_systems,
            )
        case intake.CaseEscalated():
            return dict(
                on_date=event.escalated_on,
                subject_id=str(event.case_id),
                case_id=event.case_id,
                agency_id=event.by_agency_id,
                program=event.program,
                code=event.reason_codes[0],
                codes=tuple(event.reason_codes),
            )
        case intake.ConsentRecorded():
            return dict(
                on_date=event.consented_on,
                subject_id=str(event.consent_id),
                case_id=event.case_id,
                kind=event.method,
            )
        case intake.ConsentWithdrawn():
            return dict(
                on_date=event.withdrawn_on, subject_id=str(event.consent_id), case_id=event.case_id
            )
        case intake.CaseClosed():
            return dict(
                on_date=event.closed_on,
                subject_id=str(event.case_id),
                case_id=event.case_id,
                code=event.reason_code,
            )
        case referral.ReferralRequested():
            return dict(
                on_date=jst_date(event.requested_at),
                subject_id=str(event.referral_id),
                case_id=event.case_id,
                agency_id=event.from_agency_id,
                other_agency_id=event.to_agency_id,
                program=event.to_program,
                kind=event.legal_basis,
                codes=tuple(event.reason_codes),
                at=event.requested_at,
                due_on=event.due_on,
            )
        case referral.ReferralAccepted():
            return dict(
                on_date=jst_date(event.accepted_at),
                subject_id=str(event.referral_id),
                case_id=event.case_id,
                agency_id=event.by_agency_id,
                at=event.accepted_at,
            )
        case referral.ReferralDeclined():
            return dict(
                on_date=jst_date(event.declined_at),
                subject_id=str(event.referral_id),
                case_id=event.case_id,
                agency_id=event.by_agency_id,
                code=event.reason_code,
                at=event.declined_at,
            )
        case referral.ReferralCompleted():
            return dict(
                on_date=jst_date(event.completed_at),
                subject_id=str(event.referral_id),
                case_id=event.case_id,
                code=event.outcome_code,
                at=event.completed_at,
            )
        case referral.ReferralRevoked():
            return dict(
                on_date=jst_date(event.revoked_at),
                subject_id=str(event.referral_id),
                case_id=event.case_id,
                code=event.reason_code,
                at=event.revoked_at,
            )
        case meetings.MeetingScheduled():
            return dict(
                on_date=event.scheduled_on,
                subject_id=str(event.meeting_id),
                kind=event.meeting_type,
                code="ad_hoc" if event.ad_hoc else "regular",
            )
        case meetings.MeetingHeld():
            return dict(
                on_date=event.held_on,
                subject_id=str(event.meeting_id),
                kind=event.meeting_type,
                amount=event.items_discussed,
                codes=tuple(event.participant_agency_ids),
            )
        case meetings.CaseDiscussed():
            return dict(
                on_date=event.discussed_on,
                subject_id=str(event.agenda_item_id),
                case_id=event.case_id,
                kind=event.meeting_type,
                code=event.legal_basis,
                program=event.escalated_to,
                codes=(event.kind, *([event.outcome] if event.outcome else [])),
            )
        case PlanSubmittedBase():
            return dict(
                on_date=event.submitted_on,
                subject_id=str(event.plan_id),
                case_id=event.case_id,
                program=event.program,
            )
        case meetings.PlanApproved():
            return dict(
                on_date=event.approved_on,
                subject_id=str(event.plan_id),
                case_id=event.case_id,
                program=event.program,
            )
        case meetings.PlanReturned():
            return dict(
                on_date=event.returned_on,
                subject_id=str(event.plan_id),
                case_id=event.case_id,
                program=event.program,
                code=event.reason_code,
            )
        case meetings.RolesAssigned():
            lead = next((r.agency_id for r in event.roles if r.lead), None)
            return dict(
                on_date=event.assigned_on,
                subject_id=str(event.plan_id),
                case_id=event.case_id,
                agency_id=lead,
                amount=len(event.roles),
                codes=tuple(r.agency_id for r in event.roles),
            )
        case meetings.PlanEvaluated():
            return dict(
                on_date=event.evaluated_on,
                subject_id=str(event.plan_id),
                case_id=event.case_id,
                program=event.program,
                code=event.result_code,
            )
        case meetings.PlanEnded():
            return dict(
                on_date=event.ended_on,
                subject_id=str(event.plan_id),
                case_id=event.case_id,
                program=event.program,
                kind=event.end_kind,
                code=event.reason_code,
            )
        case meetings.ResourceGapRaised():
            return dict(
                on_date=event.raised_on, subject_id=str(event.gap_id), kind=event.category_code
            )
        case outreach.OutreachTargetRegistered():
            return dict(
                on_date=event.registered_on,
                subject_id=str(event.target_id),
                case_id=event.case_id,
                code=event.source,
            )
        case outreach.ContactAttempted():
            return dict(
                on_date=event.attempted_on,
                subject_id=str(event.target_id),
                kind=event.method,
                code=event.result,
            )
        case outreach.EngagementStageChanged():
            return dict(
                on_date=event.changed_on,
                subject_id=str(event.target_id),
                kind=event.from_stage,
                code=event.to_stage,
            )
        case outreach.OutreachEnded():
            return dict(
                on_date=event.ended_on, subject_id=str(event.target_id), code=event.reason_code
            )
        case participation.ParticipationStarted():
            return dict(
                on_date=event.started_on,
                subject_id=str(event.participant_id),
                case_id=event.case_id,
            )
        case participation.PlacementStarted():
            return dict(
                on_date=event.started_on,
                subject_id=str(event.placement_id),
                case_id=event.case_id,
                kind=event.category,
            )
        case participation.PlacementEnded():
            return dict(
                on_date=event.ended_on,
                subject_id=str(event.placement_id),
                case_id=event.case_id,
                code=event.outcome_code,
            )
        case participation.ParticipationEnded():
            return dict(
                on_date=event.ended_on,
                subject_id=str(event.participant_id),
                case_id=event.case_id,
                code=event.outcome_code,
            )
        case community.WatchVisitsReported():
            # The month decides the 年度 (it always agrees with the event's fiscal_year).
            return dict(
                on_date=_month_start(event.month),
                subject_id=f"{event.school_district_code}:{event.month}",
                kind=event.school_district_code,
                code=event.month,
                amount=event.visits,
                revision=event.revision,
            )
        case community.SupportCouncilHeld():
            return dict(
                on_date=event.held_on,
                subject_id=str(event.council_meeting_id),
                kind=event.school_district_code,
                amount=event.participants,
            )
        case community.ConcernReported():
            return dict(
                on_date=event.reported_on,
                subject_id=str(event.concern_id),
                kind=event.urgency,
                code=event.reporter_type,
                codes=tuple(event.issue_codes),
            )
        case community.ResourcePublished():
            return dict(
                on_date=jst_date(envelope.occurred_at),
                subject_id=str(event.resource_id),
                kind=event.category,
                amount=event.capacity,
                revision=event.version,
            )
        case community.ResourceWithdrawn():
            return dict(on_date=event.withdrawn_on, subject_id=str(event.resource_id))
        case community.ProgramActivityReported():
            return dict(
                on_date=_month_start(event.month),
                subject_id=str(event.report_id),
                program=event.program_code,
                code=event.month,
                amount=event.participants,
            )
    return None


def fact_of(envelope: Envelope, event: EventContract) -> Fact | None:
    attributes = _attributes(envelope, event)
    if attributes is None:
        return None
    return Fact(
        event_id=envelope.event_id,
        event_type=envelope.event_type,
        occurred_at=envelope.occurred_at,
        **attributes,
    )
