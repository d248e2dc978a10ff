"""kasane.bus.reading.read: whatever bytes a producer wrote, a typed event or a rejection.

The live consumer and the indicators rebuild both judge records through ``read``; an
exception escaping it would have lost (live) or crashed on (rebuild) the record.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from kasane.bus.inbox import Delivery
from kasane.bus.reading import Rejected, read
from kasane.events import EventRegistry, MalformedEvent, wrap
from kasane.events.intake import CONTRACTS, ConsultationReceived
from kasane.events.registry import ParsedEvent
from kasane.ids import uuid7

JST = timezone(timedelta(hours=9))
REGISTRY = EventRegistry(CONTRACTS)


def _valid() -> bytes:
    return wrap(
        ConsultationReceived(
            consultation_id=uuid7(),
            agency_id="jiritsu",
            received_at=datetime(2026, 6, 2, 10, 0, tzinfo=JST),
            channel="phone",
            issue_codes=["poverty"],
            age_band="40-49",
            school_district_code="02",
            is_complex=False,
        ),
        producer="intake",
        municipality_code="402036",
        agency_id="jiritsu",
    ).to_bytes()


def _deep_payload() -> bytes:
    data = json.loads(_valid())
    raw = json.dumps(data).encode()
    # The same envelope, its payload replaced by 100,000 nested arrays.
    return raw.replace(
        json.dumps(data["payload"]).encode(), b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    )


def _delivery(value: bytes) -> Delivery:
    return Delivery(topic="kasane.intake.v1", partition=0, offset=3, key=None, value=value)


HOSTILE = {
    "deep-array": b"[" * 100_000 + b"]" * 100_000,
    "deep-object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "unclosed-deep-array": b"[" * 1_000_000,
    "deep-payload-in-a-valid-envelope": _deep_payload(),
    "invalid-utf8": b"\xff\xfe\xfd",
    "utf16-bom": "{}".encode("utf-16"),
    "lone-surrogate-escape": b'{"event_type": "\\ud800"}',
    "nul-bytes": b"\x00" * 16,
    "not-json": b"{not json",
    "json-string": b'"ConsultationReceived"',
    "json-number": b"1e999999",
    "empty": b"",
    "truncated-envelope": _valid()[:-10],
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_bytes_are_malformed_events(raw: bytes) -> None:
    with pytest.raises(MalformedEvent):
        REGISTRY.parse(raw)
    rejected = read(REGISTRY, _delivery(raw))
    assert isinstance(rejected, Rejected)
    assert rejected.error.startswith("MalformedEvent: ")


def test_valid_record_is_read_as_its_event() -> None:
    event = read(REGISTRY, _delivery(_valid()))
    assert isinstance(event, ParsedEvent)
    assert isinstance(event.contract, ConsultationReceived)


def test_unknown_type_is_rejected_as_unknown() -> None:
    data = json.loads(_valid())
    data["event_type"] = "intake.SomethingNobodyKnows"
    rejected = read(REGISTRY, _delivery(json.dumps(data).encode()))
    assert isinstance(rejected, Rejected)
    assert rejected.error.startswith("UnknownEvent: ")


def test_rejection_names_the_field_not_the_value() -> None:
    # The reason ends up in log lines and dead-letter headers: no personal data in it.
    data = json.loads(_valid())
    data["payload"]["name"] = "久留米 トメ"
    data["payload"]["age_band"] = "090-1234-5678"
    rejected = read(REGISTRY, _delivery(json.dumps(data, ensure_ascii=False).encode()))
    assert isinstance(rejected, Rejected)
    assert "name" in rejected.error
    assert "age_band" in rejected.error
    assert "久留米" not in rejected.error
    assert "090-1234-5678" not in rejected.error


def test_an_unexpected_parser_error_is_a_rejection_not_an_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(raw: bytes) -> ParsedEvent:
        raise RecursionError("maximum recursion depth exceeded")

    registry = EventRegistry(CONTRACTS)
    monkeypatch.setattr(registry, "parse", broken)
    rejected = read(registry, _delivery(_valid()))
    assert rejected == Rejected("MalformedEvent: RecursionError")
