"""referral.ReferralRequested / ReferralAccepted v2 (issue 18: the day the act happened) and
the upcasters that read v1 payloads, which knew only the entry instant."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from uuid import uuid4

from kasane.bus.dispatch import Dispatcher
from kasane.events import wrap
from kasane.events.envelope import EventContract
from kasane.events.referral import ReferralAccepted, ReferralRequested

# 2025-03-31 16:30 UTC is 2025-04-01 01:30 in Japan: the first day of FY2025.
ENTERED = datetime(2025, 3, 31, 16, 30, tzinfo=UTC)


def _as_v1(current: EventContract, drop: str) -> bytes:
    envelope = json.loads(
        wrap(
            current, producer="referral", municipality_code="402036", agency_id="houkatsu-01"
        ).to_bytes()
    )
    del envelope["payload"][drop]
    envelope["schema_version"] = 1
    return json.dumps(envelope).encode()


def _requested() -> ReferralRequested:
    return ReferralRequested(
        referral_id=uuid4(),
        case_id=uuid4(),
        from_agency_id="houkatsu-01",
        to_agency_id="jiritsu",
        reason_codes=["poverty"],
        legal_basis="consent",
        consent_id=uuid4(),
        requested_at=ENTERED,
        requested_on=date(2025, 3, 1),
        due_on=date(2025, 3, 8),
    )


def test_v2_is_published() -> None:
    assert ReferralRequested.schema_version == 2
    assert ReferralAccepted.schema_version == 2


def test_a_v2_request_keeps_its_own_day() -> None:
    raw = wrap(
        _requested(), producer="referral", municipality_code="402036", agency_id="houkatsu-01"
    ).to_bytes()
    parsed = Dispatcher().registry.parse(raw)
    assert isinstance(parsed.contract, ReferralRequested)
    assert parsed.contract.requested_on == date(2025, 3, 1)


def test_a_v1_request_is_dated_by_its_entry_day_in_japan() -> None:
    parsed = Dispatcher().registry.parse(_as_v1(_requested(), "requested_on"))
    assert isinstance(parsed.contract, ReferralRequested)
    assert parsed.contract.requested_on == date(2025, 4, 1)
    assert parsed.contract.requested_at == ENTERED


def test_a_v1_acceptance_is_dated_by_its_entry_day_in_japan() -> None:
    accepted = ReferralAccepted(
        referral_id=uuid4(),
        case_id=uuid4(),
        by_agency_id="jiritsu",
        accepted_at=ENTERED,
        accepted_on=date(2025, 3, 2),
    )
    parsed = Dispatcher().registry.parse(_as_v1(accepted, "accepted_on"))
    assert isinstance(parsed.contract, ReferralAccepted)
    assert parsed.contract.accepted_on == date(2025, 4, 1)
