"""outreach's events as facts: subject = the outreach target."""

from __future__ import annotations

from indicators.domain.facts.fact import Fact, rules
from indicators.domain.facts.plans import plan_submitted
from kasane.events import outreach as events
from kasane.events.envelope import Envelope

rules.to_fact(events.PlanSubmitted)(plan_submitted)


@rules.to_fact(events.OutreachTargetRegistered)
def target_registered(envelope: Envelope, event: events.OutreachTargetRegistered) -> Fact:
    """code = where the target came from (source)."""
    return Fact.of(
        envelope,
        on_date=event.registered_on,
        subject_id=event.target_id,
        case_id=event.case_id,
        code=event.source,
    )


@rules.to_fact(events.ContactAttempted)
def contact_attempted(envelope: Envelope, event: events.ContactAttempted) -> Fact:
    """kind = the method (visit, letter, ...); code = the result."""
    return Fact.of(
        envelope,
        on_date=event.attempted_on,
        subject_id=event.target_id,
        kind=event.method,
        code=event.result,
    )


@rules.to_fact(events.EngagementStageChanged)
def stage_changed(envelope: Envelope, event: events.EngagementStageChanged) -> Fact:
    """kind = the stage left; code = the stage reached."""
    return Fact.of(
        envelope,
        on_date=event.changed_on,
        subject_id=event.target_id,
        kind=event.from_stage,
        code=event.to_stage,
    )


@rules.to_fact(events.OutreachEnded)
def outreach_ended(envelope: Envelope, event: events.OutreachEnded) -> Fact:
    """code = the reason for ending."""
    return Fact.of(
        envelope, on_date=event.ended_on, subject_id=event.target_id, code=event.reason_code
    )
