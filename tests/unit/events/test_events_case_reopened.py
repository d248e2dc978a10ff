"""intake.CaseReopened: the contract of ケース再開 (ids, lead agency, date, reason code)."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest

from kasane.events import EventRegistry, MalformedEvent, UnknownEvent, all_contracts, wrap
from kasane.events.catalog import PUBLISHED
from kasane.events.intake import CaseReopened

REGISTRY = EventRegistry(c for group in all_contracts().values() for c in group)


def _reopened() -> CaseReopened:
    return CaseReopened(
        case_id=uuid.uuid4(),
        household_id=uuid.uuid4(),
        lead_agency_id="jiritsu",
        reopened_on=date(2025, 9, 1),
        reason_code="same_issue_returned",
    )


def test_intake_publishes_it_keyed_by_the_case() -> None:
    assert CaseReopened in PUBLISHED["intake"]
    event = _reopened()
    assert event.partition_key() == str(event.case_id)


def test_it_round_trips_through_the_registry() -> None:
    event = _reopened()
    raw = wrap(event, producer="intake", municipality_code="402036", agency_id="jiritsu")
    parsed = REGISTRY.parse(raw.to_bytes())
    assert parsed.envelope.event_type == "intake.CaseReopened"
    assert parsed.contract == event


def test_the_note_never_travels() -> None:
    raw = wrap(_reopened(), producer="intake", municipality_code="402036", agency_id="jiritsu")
    envelope = json.loads(raw.to_bytes())
    envelope["payload"]["note"] = "本人から電話あり"
    with pytest.raises(MalformedEvent, match="note"):
        REGISTRY.parse(json.dumps(envelope).encode())


def test_a_consumer_without_the_contract_dead_letters_it() -> None:
    """Why consumers are deployed before intake writes it (docs/architecture/event-versions.md)."""
    older = EventRegistry(
        c for group in all_contracts().values() for c in group if c is not CaseReopened
    )
    raw = wrap(_reopened(), producer="intake", municipality_code="402036", agency_id="jiritsu")
    with pytest.raises(UnknownEvent):
        older.parse(raw.to_bytes())
