"""meetings' events as facts: subject = the meeting, its agenda item, the plan or the gap."""

from __future__ import annotations

from indicators.domain.facts.fact import Fact, rules
from indicators.domain.facts.plans import plan_submitted
from kasane.events import meetings as events
from kasane.events.envelope import Envelope

rules.to_fact(events.PlanSubmitted)(plan_submitted)


@rules.to_fact(events.MeetingScheduled)
def meeting_scheduled(envelope: Envelope, event: events.MeetingScheduled) -> Fact:
    """kind = the meeting type; code = ``ad_hoc`` or ``regular``."""
    return Fact.of(
        envelope,
        on_date=event.scheduled_on,
        subject_id=event.meeting_id,
        kind=event.meeting_type,
        code="ad_hoc" if event.ad_hoc else "regular",
    )


@rules.to_fact(events.MeetingHeld)
def meeting_held(envelope: Envelope, event: events.MeetingHeld) -> Fact:
    """kind = the meeting type; amount = items discussed; codes = participating agencies."""
    return Fact.of(
        envelope,
        on_date=event.held_on,
        subject_id=event.meeting_id,
        kind=event.meeting_type,
        amount=event.items_discussed,
        codes=tuple(event.participant_agency_ids),
    )


@rules.to_fact(events.CaseDiscussed)
def case_discussed(envelope: Envelope, event: events.CaseDiscussed) -> Fact:
    """subject = the agenda item; kind = the meeting type, code = the legal basis, program =
    escalated to; codes = (agenda kind, outcome if any)."""
    return Fact.of(
        envelope,
        on_date=event.discussed_on,
        subject_id=event.agenda_item_id,
        case_id=event.case_id,
        kind=event.meeting_type,
        code=event.legal_basis,
        program=event.escalated_to,
        codes=(event.kind, *([event.outcome] if event.outcome else [])),
    )


@rules.to_fact(events.PlanApproved)
def plan_approved(envelope: Envelope, event: events.PlanApproved) -> Fact:
    """program = the plan's program (plans count in the 年度 of their approval)."""
    return Fact.of(
        envelope,
        on_date=event.approved_on,
        subject_id=event.plan_id,
        case_id=event.case_id,
        program=event.program,
    )


@rules.to_fact(events.PlanReturned)
def plan_returned(envelope: Envelope, event: events.PlanReturned) -> Fact:
    """code = why it was returned."""
    return Fact.of(
        envelope,
        on_date=event.returned_on,
        subject_id=event.plan_id,
        case_id=event.case_id,
        program=event.program,
        code=event.reason_code,
    )


@rules.to_fact(events.RolesAssigned)
def roles_assigned(envelope: Envelope, event: events.RolesAssigned) -> Fact:
    """agency = the lead agency (none if no role leads); codes = every assigned agency;
    amount = the number of roles."""
    lead = next((r.agency_id for r in event.roles if r.lead), None)
    return Fact.of(
        envelope,
        on_date=event.assigned_on,
        subject_id=event.plan_id,
        case_id=event.case_id,
        agency_id=lead,
        amount=len(event.roles),
        codes=tuple(r.agency_id for r in event.roles),
    )


@rules.to_fact(events.PlanEvaluated)
def plan_evaluated(envelope: Envelope, event: events.PlanEvaluated) -> Fact:
    """code = the evaluation's result."""
    return Fact.of(
        envelope,
        on_date=event.evaluated_on,
        subject_id=event.plan_id,
        case_id=event.case_id,
        program=event.program,
        code=event.result_code,
    )


@rules.to_fact(events.PlanEnded)
def plan_ended(envelope: Envelope, event: events.PlanEnded) -> Fact:
    """kind = how it ended (end kind); code = the reason."""
    return Fact.of(
        envelope,
        on_date=event.ended_on,
        subject_id=event.plan_id,
        case_id=event.case_id,
        program=event.program,
        kind=event.end_kind,
        code=event.reason_code,
    )


@rules.to_fact(events.ResourceGapRaised)
def resource_gap_raised(envelope: Envelope, event: events.ResourceGapRaised) -> Fact:
    """subject = the gap; kind = its category."""
    return Fact.of(
        envelope, on_date=event.raised_on, subject_id=event.gap_id, kind=event.category_code
    )
