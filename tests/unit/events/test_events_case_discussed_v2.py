"""meetings.CaseDiscussed v2 (access_until) and the upcaster that reads v1 payloads."""

from __future__ import annotations

import json
from datetime import date
from uuid import uuid4

from kasane.bus.dispatch import Dispatcher
from kasane.events import wrap
from kasane.events.meetings import CaseDiscussed


def _v1_bytes() -> bytes:
    current = CaseDiscussed(
        meeting_id=uuid4(),
        agenda_item_id=uuid4(),
        case_id=uuid4(),
        meeting_type="support_meeting",
        kind="information_sharing",
        legal_basis="support_meeting",
        discussed_on=date(2025, 6, 25),
        member_agency_ids=["kikan-01"],
        access_until=date(2025, 9, 23),
    )
    envelope = json.loads(
        wrap(
            current, producer="meetings", municipality_code="402036", agency_id="shakyo"
        ).to_bytes()
    )
    del envelope["payload"]["access_until"]
    envelope["schema_version"] = 1
    return json.dumps(envelope).encode()


def test_v2_is_published() -> None:
    assert CaseDiscussed.schema_version == 2


def test_a_v1_payload_ends_ninety_days_after_the_meeting() -> None:
    parsed = Dispatcher().registry.parse(_v1_bytes())
    assert isinstance(parsed.contract, CaseDiscussed)
    assert parsed.contract.access_until == date(2025, 9, 23)
    assert parsed.contract.member_agency_ids == ["kikan-01"]
