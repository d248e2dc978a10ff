"""Events → fact rows (pure): one ``to_fact`` function per published contract, grouped by
producing service (``intake.py``, ``referral.py``, ...), each saying what the generic columns
of ``facts`` mean for its event. ``fact_of`` picks the function by the event's contract.

See docs/architecture/indicators-facts.md.
"""

from __future__ import annotations

from indicators.domain.facts import (  # noqa: F401  (importing registers the functions)
    community,
    intake,
    meetings,
    outreach,
    participation,
    referral,
)
from indicators.domain.facts.fact import COLUMNS, Consultation, Fact, FactRules, rules
from kasane.events import intake as intake_events
from kasane.events.envelope import Envelope, EventContract

__all__ = ["COLUMNS", "FACTS", "NOT_COUNTED", "Consultation", "Fact", "FactRules", "fact_of"]

# Published contracts with no fact row, and why.
NOT_COUNTED: dict[type[EventContract], str] = {
    intake_events.ConsultationReceived: "its own table, consultation_facts (store.facts)",
}

FACTS = rules.by_contract


def fact_of(envelope: Envelope, event: EventContract) -> Fact | None:
    """The event's fact; None for a contract that yields none (``NOT_COUNTED``, unknown)."""
    return rules.fact_of(envelope, event)
