"""EventRegistry: bytes -> typed event, with unknown/malformed separation and upcasting."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar
from uuid import UUID

import pytest

from kasane.events import EventRegistry, MalformedEvent, UnknownEvent
from kasane.events.envelope import Envelope, EventContract, wrap
from kasane.events.intake import CONTRACTS, ConsultationReceived
from kasane.ids import uuid7

JST = timezone(timedelta(hours=9))


def _consultation() -> ConsultationReceived:
    return ConsultationReceived(
        consultation_id=uuid7(),
        agency_id="jiritsu",
        received_at=datetime(2026, 6, 2, 10, 0, tzinfo=JST),
        channel="phone",
        issue_codes=["poverty"],
        age_band="40-49",
        school_district_code="02",
        is_complex=False,
    )


def _envelope_bytes(event_type: str, version: int, payload: dict[str, Any]) -> bytes:
    envelope = Envelope(
        event_type=event_type,
        schema_version=version,
        occurred_at=datetime.now(UTC),
        producer="test",
        municipality_code="402036",
        agency_id=None,
        correlation_id=uuid7(),
        payload=payload,
    )
    return envelope.to_bytes()


class ThingV2(EventContract):
    """Throwaway contract: v1 had ``count``; v2 renamed it ``visits`` and added ``area``."""

    event_type: ClassVar[str] = "test.Thing"
    schema_version: ClassVar[int] = 2

    case_id: UUID
    visits: int
    area: str


class ThingV3(EventContract):
    event_type: ClassVar[str] = "test.Thing"
    schema_version: ClassVar[int] = 3

    case_id: UUID
    visits: int
    area: str
    closed: bool


def _v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in payload.items() if k != "count"}
    return {**rest, "visits": payload["count"], "area": "00"}


def _v2_to_v3(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "closed": False}


def test_known_type_parses_into_its_contract() -> None:
    contract = _consultation()
    envelope = wrap(contract, producer="intake", municipality_code="402036", agency_id="jiritsu")
    parsed = EventRegistry(CONTRACTS).parse(envelope.to_bytes())
    assert parsed.envelope == envelope
    assert isinstance(parsed.contract, ConsultationReceived)
    assert parsed.contract == contract


def test_registry_lists_its_contracts() -> None:
    registry = EventRegistry(CONTRACTS)
    assert registry.contracts == {c.event_type: c for c in CONTRACTS}
    # The returned mapping is a copy: mutating it does not register anything.
    registry.contracts.clear()
    assert registry.contracts


def test_unknown_type_raises_unknown_event() -> None:
    envelope = wrap(_consultation(), producer="intake", municipality_code="402036", agency_id="x")
    data = json.loads(envelope.to_bytes())
    data["event_type"] = "intake.SomethingNobodyKnows"
    with pytest.raises(UnknownEvent, match="SomethingNobodyKnows"):
        EventRegistry(CONTRACTS).parse(json.dumps(data).encode())


def test_empty_registry_knows_nothing() -> None:
    envelope = wrap(_consultation(), producer="intake", municipality_code="402036", agency_id="x")
    with pytest.raises(UnknownEvent):
        EventRegistry().parse(envelope.to_bytes())


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff not json at all",
        b"not json",
        b"[1, 2, 3]",
        b"null",
        b'{"event_type": "intake.ConsultationReceived"}',
    ],
    ids=["empty", "non-utf8", "not-json", "json-list", "json-null", "missing-fields"],
)
def test_malformed_bytes_raise_malformed_event(raw: bytes) -> None:
    with pytest.raises(MalformedEvent):
        EventRegistry(CONTRACTS).parse(raw)


def test_malformed_and_unknown_are_distinct_value_errors() -> None:
    assert issubclass(MalformedEvent, ValueError)
    assert issubclass(UnknownEvent, ValueError)
    assert not issubclass(MalformedEvent, UnknownEvent)
    assert not issubclass(UnknownEvent, MalformedEvent)


def test_payload_breaking_its_contract_raises_malformed_event() -> None:
    envelope = wrap(_consultation(), producer="intake", municipality_code="402036", agency_id="x")
    data = json.loads(envelope.to_bytes())
    data["payload"]["issue_codes"] = "elderly_care"  # a string, not a list
    with pytest.raises(MalformedEvent):
        EventRegistry(CONTRACTS).parse(json.dumps(data).encode())


def test_payload_with_a_smuggled_field_raises_malformed_event() -> None:
    envelope = wrap(_consultation(), producer="intake", municipality_code="402036", agency_id="x")
    data = json.loads(envelope.to_bytes())
    data["payload"]["name"] = "山田 太郎"
    with pytest.raises(MalformedEvent):
        EventRegistry(CONTRACTS).parse(json.dumps(data).encode())


def test_v1_payload_is_upcast_to_v2() -> None:
    registry = EventRegistry([ThingV2])
    registry.register_upcaster("test.Thing", 1, _v1_to_v2)
    case_id = uuid7()
    parsed = registry.parse(_envelope_bytes("test.Thing", 1, {"case_id": str(case_id), "count": 4}))
    assert isinstance(parsed.contract, ThingV2)
    assert parsed.contract == ThingV2(case_id=case_id, visits=4, area="00")
    # The envelope still says what was on the wire.
    assert parsed.envelope.schema_version == 1


def test_current_version_is_not_upcast() -> None:
    calls: list[dict[str, Any]] = []

    def spy(payload: dict[str, Any]) -> dict[str, Any]:
        calls.append(payload)
        return _v1_to_v2(payload)

    registry = EventRegistry([ThingV2])
    registry.register_upcaster("test.Thing", 1, spy)
    case_id = uuid7()
    payload = {"case_id": str(case_id), "visits": 2, "area": "05"}
    parsed = registry.parse(_envelope_bytes("test.Thing", 2, payload))
    assert parsed.contract == ThingV2(case_id=case_id, visits=2, area="05")
    assert calls == []


def test_upcasters_chain_across_versions() -> None:
    registry = EventRegistry([ThingV3])
    registry.register_upcaster("test.Thing", 1, _v1_to_v2)
    registry.register_upcaster("test.Thing", 2, _v2_to_v3)
    case_id = uuid7()
    parsed = registry.parse(_envelope_bytes("test.Thing", 1, {"case_id": str(case_id), "count": 9}))
    assert parsed.contract == ThingV3(case_id=case_id, visits=9, area="00", closed=False)


def test_upcast_result_is_validated() -> None:
    registry = EventRegistry([ThingV2])
    registry.register_upcaster("test.Thing", 1, lambda p: {**p, "visits": "many", "area": "00"})
    with pytest.raises(MalformedEvent):
        registry.parse(_envelope_bytes("test.Thing", 1, {"case_id": str(uuid7())}))


def test_missing_upcaster_raises_unknown_event() -> None:
    registry = EventRegistry([ThingV2])  # no upcaster registered for v1
    with pytest.raises(UnknownEvent, match="upcaster"):
        registry.parse(_envelope_bytes("test.Thing", 1, {"case_id": str(uuid7()), "count": 1}))


def test_gap_in_the_upcaster_chain_raises_unknown_event() -> None:
    registry = EventRegistry([ThingV3])
    registry.register_upcaster("test.Thing", 1, _v1_to_v2)  # but nothing for v2 -> v3
    with pytest.raises(UnknownEvent):
        registry.parse(_envelope_bytes("test.Thing", 1, {"case_id": str(uuid7()), "count": 1}))


def test_newer_than_known_version_raises_unknown_event() -> None:
    registry = EventRegistry([ThingV2])
    registry.register_upcaster("test.Thing", 1, _v1_to_v2)
    payload = {"case_id": str(uuid7()), "visits": 1, "area": "01", "closed": True}
    with pytest.raises(UnknownEvent, match="newer"):
        registry.parse(_envelope_bytes("test.Thing", 3, payload))


def test_duplicate_registration_is_refused() -> None:
    registry = EventRegistry(CONTRACTS)
    with pytest.raises(ValueError, match="duplicate"):
        registry.register(ConsultationReceived)
    with pytest.raises(ValueError, match="duplicate"):
        EventRegistry([ThingV2, ThingV3])  # two versions of one type in one registry
    # The refused registration did not replace the first one.
    assert registry.contracts[ConsultationReceived.event_type] is ConsultationReceived


def test_upcaster_failing_on_a_malformed_old_payload_raises_malformed_event() -> None:
    registry = EventRegistry([ThingV2])
    registry.register_upcaster("test.Thing", 1, _v1_to_v2)  # reads payload["count"]
    with pytest.raises(MalformedEvent):
        registry.parse(_envelope_bytes("test.Thing", 1, {"case_id": str(uuid7())}))
