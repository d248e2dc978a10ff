"""One ``to_fact`` per published contract: none forgotten, none doubled."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from indicators.domain.facts import FACTS, NOT_COUNTED, Fact, FactRules, fact_of
from kasane.events import community, wrap
from kasane.events.catalog import PUBLISHED
from kasane.events.envelope import Envelope, EventContract

COUNCIL = UUID("00000000-0000-7000-8000-000000000001")
PUBLISHED_CONTRACTS = [c for group in PUBLISHED.values() for c in group]


@pytest.mark.parametrize("contract", PUBLISHED_CONTRACTS, ids=lambda c: c.event_type)
def test_every_published_contract_has_one_fact_function_or_is_listed_as_not_counted(
    contract: type[EventContract],
) -> None:
    assert (contract in FACTS) != (contract in NOT_COUNTED), contract.event_type


def test_every_fact_function_is_for_a_published_contract() -> None:
    assert set(FACTS) <= set(PUBLISHED_CONTRACTS)
    assert set(NOT_COUNTED) <= set(PUBLISHED_CONTRACTS)


def test_a_second_fact_function_for_a_contract_is_refused() -> None:
    rules = FactRules()

    def first(envelope: Envelope, event: community.ResourceWithdrawn) -> Fact:
        return Fact.of(envelope, on_date=event.withdrawn_on, subject_id=event.resource_id)

    rules.to_fact(community.ResourceWithdrawn)(first)
    with pytest.raises(ValueError, match=r"community\.ResourceWithdrawn has two fact functions"):
        rules.to_fact(community.ResourceWithdrawn)(first)


def test_a_fact_carries_the_envelope_and_the_columns_its_function_names() -> None:
    event = community.SupportCouncilHeld(
        council_meeting_id=COUNCIL,
        school_district_code="02",
        held_on=date(2025, 6, 2),
        participants=14,
    )
    envelope = wrap(event, producer="community", municipality_code="402036", agency_id="shakyo")
    fact = fact_of(envelope, event)
    assert fact is not None
    assert (fact.event_id, fact.event_type, fact.occurred_at) == (
        envelope.event_id,
        "community.SupportCouncilHeld",
        envelope.occurred_at,
    )
    assert (fact.on_date, fact.subject_id, fact.kind, fact.amount, fact.fiscal_year) == (
        date(2025, 6, 2),
        str(COUNCIL),
        "02",
        14,
        2025,
    )
    assert fact.code is None and fact.codes == ()
