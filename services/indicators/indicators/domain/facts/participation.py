"""participation's events as facts: subject = the participant or the placement."""

from __future__ import annotations

from indicators.domain.facts.fact import Fact, rules
from indicators.domain.facts.plans import plan_submitted
from kasane.events import participation as events
from kasane.events.envelope import Envelope

rules.to_fact(events.PlanSubmitted)(plan_submitted)


@rules.to_fact(events.ParticipationStarted)
def participation_started(envelope: Envelope, event: events.ParticipationStarted) -> Fact:
    return Fact.of(
        envelope, on_date=event.started_on, subject_id=event.participant_id, case_id=event.case_id
    )


@rules.to_fact(events.PlacementStarted)
def placement_started(envelope: Envelope, event: events.PlacementStarted) -> Fact:
    """kind = the placement's category."""
    return Fact.of(
        envelope,
        on_date=event.started_on,
        subject_id=event.placement_id,
        case_id=event.case_id,
        kind=event.category,
    )


@rules.to_fact(events.PlacementEnded)
def placement_ended(envelope: Envelope, event: events.PlacementEnded) -> Fact:
    """code = the placement's outcome."""
    return Fact.of(
        envelope,
        on_date=event.ended_on,
        subject_id=event.placement_id,
        case_id=event.case_id,
        code=event.outcome_code,
    )


@rules.to_fact(events.ParticipationEnded)
def participation_ended(envelope: Envelope, event: events.ParticipationEnded) -> Fact:
    """code = the participation's outcome."""
    return Fact.of(
        envelope,
        on_date=event.ended_on,
        subject_id=event.participant_id,
        case_id=event.case_id,
        code=event.outcome_code,
    )
