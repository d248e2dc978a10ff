"""A plan submitted to a 重層的支援会議, by any of the three programs that write plans."""

from __future__ import annotations

from indicators.domain.facts.fact import Fact
from kasane.events.envelope import Envelope
from kasane.events.plans import PlanSubmittedBase


def plan_submitted(envelope: Envelope, event: PlanSubmittedBase) -> Fact:
    """subject = the plan; program = the program whose plan it is."""
    return Fact.of(
        envelope,
        on_date=event.submitted_on,
        subject_id=event.plan_id,
        case_id=event.case_id,
        program=event.program,
    )
