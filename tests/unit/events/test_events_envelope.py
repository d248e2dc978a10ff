"""Envelope wire format, wrap() correlation rules, contract strictness, partition keys."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import ClassVar
from uuid import UUID

import pytest
from pydantic import ValidationError

from kasane.events import topics
from kasane.events.envelope import HEADER_FIELDS, Envelope, EventContract, wrap
from kasane.events.intake import ConsultationReceived
from kasane.ids import uuid7

JST = timezone(timedelta(hours=9))


def _consultation(**overrides: object) -> ConsultationReceived:
    fields: dict[str, object] = {
        "consultation_id": uuid7(),
        "agency_id": "jiritsu",
        "received_at": datetime(2026, 6, 2, 10, 0, tzinfo=JST),
        "channel": "phone",
        "issue_codes": ["poverty", "hikikomori"],
        "age_band": "40-49",
        "school_district_code": "02",
        "is_complex": True,
    }
    fields.update(overrides)
    return ConsultationReceived.model_validate(fields)


def _wrap(contract: EventContract, **kwargs: object) -> Envelope:
    return wrap(
        contract,
        producer="intake",
        municipality_code="402036",
        agency_id="jiritsu",
        **kwargs,  # type: ignore[arg-type]
    )


def test_envelope_round_trips_through_bytes() -> None:
    causation = uuid7()
    correlation = uuid7()
    occurred = datetime(2026, 3, 31, 23, 30, 15, 123456, tzinfo=JST)
    envelope = _wrap(
        _consultation(),
        correlation_id=correlation,
        causation_id=causation,
        occurred_at=occurred,
    )
    raw = envelope.to_bytes()
    assert isinstance(raw, bytes)
    back = Envelope.from_bytes(raw)
    assert back == envelope
    assert back.occurred_at == occurred
    assert back.occurred_at.utcoffset() == timedelta(hours=9)
    assert back.correlation_id == correlation
    assert back.causation_id == causation
    # And the payload parses back into the very same contract instance.
    assert ConsultationReceived.model_validate(back.payload) == ConsultationReceived.model_validate(
        envelope.payload
    )


def test_envelope_json_has_the_designed_fields() -> None:
    envelope = _wrap(_consultation())
    data = json.loads(envelope.to_bytes())
    assert set(data) == {
        "event_id",
        "event_type",
        "schema_version",
        "occurred_at",
        "producer",
        "municipality_code",
        "agency_id",
        "correlation_id",
        "causation_id",
        "payload",
    }
    assert data["event_type"] == ConsultationReceived.event_type
    assert data["schema_version"] == ConsultationReceived.schema_version
    # occurred_at is ISO 8601 with an offset.
    assert datetime.fromisoformat(data["occurred_at"]).tzinfo is not None


def test_headers_mirror_the_envelope_ids() -> None:
    envelope = _wrap(_consultation(), causation_id=uuid7())
    headers = dict(envelope.headers())
    assert set(headers) == set(HEADER_FIELDS)
    assert all(isinstance(v, bytes) for v in headers.values())
    assert UUID(headers["event_id"].decode()) == envelope.event_id
    assert UUID(headers["correlation_id"].decode()) == envelope.correlation_id
    assert UUID(headers["causation_id"].decode()) == envelope.causation_id
    assert headers["event_type"].decode() == envelope.event_type
    assert int(headers["schema_version"].decode()) == envelope.schema_version
    assert headers["producer"].decode() == envelope.producer


def test_headers_omit_a_missing_causation_id() -> None:
    envelope = _wrap(_consultation())
    assert envelope.causation_id is None
    keys = [k for k, _ in envelope.headers()]
    assert "causation_id" not in keys
    assert len(keys) == len(set(keys))


def test_first_event_is_its_own_correlation() -> None:
    envelope = _wrap(_consultation())
    assert envelope.correlation_id == envelope.event_id
    assert envelope.causation_id is None


def test_wrap_keeps_a_given_correlation_and_causation() -> None:
    first = _wrap(_consultation())
    second = _wrap(
        _consultation(), correlation_id=first.correlation_id, causation_id=first.event_id
    )
    assert second.event_id != first.event_id
    assert second.correlation_id == first.event_id
    assert second.causation_id == first.event_id


def test_wrap_copies_contract_identity_and_payload() -> None:
    contract = _consultation()
    before = datetime.now(UTC)
    envelope = _wrap(contract)
    after = datetime.now(UTC)
    assert envelope.event_type == type(contract).event_type
    assert envelope.schema_version == type(contract).schema_version
    assert envelope.payload == contract.model_dump(mode="json")
    assert before <= envelope.occurred_at <= after
    assert envelope.occurred_at.tzinfo is not None
    assert envelope.event_id.version == 7


def test_wrap_gives_each_event_a_fresh_id() -> None:
    contract = _consultation()
    ids = {_wrap(contract).event_id for _ in range(50)}
    assert len(ids) == 50


def test_contract_forbids_extra_fields() -> None:
    valid = _consultation().model_dump()
    with pytest.raises(ValidationError) as info:
        ConsultationReceived.model_validate({**valid, "name": "山田 太郎"})
    assert any(err["loc"] == ("name",) for err in info.value.errors())
    with pytest.raises(ValidationError):
        ConsultationReceived(**valid, phone="090-0000-0000")  # type: ignore[call-arg]


def test_contract_is_frozen() -> None:
    contract = _consultation()
    with pytest.raises(ValidationError):
        contract.channel = "email"  # type: ignore[misc]


def test_envelope_forbids_extra_fields() -> None:
    data = json.loads(_wrap(_consultation()).to_bytes())
    data["person_name"] = "山田 太郎"
    with pytest.raises(ValidationError):
        Envelope.from_bytes(json.dumps(data).encode())


def test_partition_key_is_the_case_id_when_there_is_one() -> None:
    case_id = uuid7()
    contract = _consultation(case_id=case_id)
    assert contract.partition_key() == str(case_id)


def test_partition_key_falls_back_to_the_consultation_id() -> None:
    contract = _consultation()
    assert contract.case_id is None
    assert contract.partition_key() == str(contract.consultation_id)


class _CaseEvent(EventContract):
    event_type: ClassVar[str] = "test.CaseThing"
    case_id: UUID


class _AggregateEvent(EventContract):
    event_type: ClassVar[str] = "test.AggregateThing"
    aggregate_id: str


class _Keyless(EventContract):
    event_type: ClassVar[str] = "test.Keyless"
    count: int


def test_base_partition_key_uses_case_id_then_aggregate_id() -> None:
    case_id = uuid7()
    assert _CaseEvent(case_id=case_id).partition_key() == str(case_id)
    assert _AggregateEvent(aggregate_id="agg-7").partition_key() == "agg-7"
    with pytest.raises(NotImplementedError):
        _Keyless(count=1).partition_key()


def test_topic_names_follow_the_convention() -> None:
    assert topics.topic_for("intake") == "kasane.intake.v1"
    assert topics.topic_for("intake", "ns.") == "ns.kasane.intake.v1"
    assert topics.dlq_topic_for("indicators") == "kasane.indicators.dlq.v1"
    assert topics.dlq_topic_for("indicators", "ns.") == "ns.kasane.indicators.dlq.v1"
