"""The event envelope every kasane service writes and reads.

The envelope is generic over nothing: ``payload`` is a plain dict on the wire. Typed
contracts (``EventContract`` subclasses) are validated on both sides through
:mod:`kasane.events.registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from kasane.ids import uuid7

# Kafka headers that repeat the envelope ids, so a consumer or an operator can route and
# trace without parsing the JSON value.
HEADER_FIELDS: tuple[str, ...] = (
    "event_id",
    "event_type",
    "schema_version",
    "correlation_id",
    "causation_id",
    "producer",
)
_HEADER_SET = set(HEADER_FIELDS)


class EventContract(BaseModel):
    """Base class of every event payload.

    Subclasses set ``event_type`` (``<service>.<Name>``) and ``schema_version``. Payloads are
    frozen and reject unknown fields, so a producer cannot smuggle personal data through an
    extra key.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1
    # Old published versions this contract still reads: from_version -> a function turning
    # that version's payload into the next one's. Registries pick them up (registry.py).
    upcasters: ClassVar[Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]] = {}

    def partition_key(self) -> str:
        """Kafka key: the case id where there is one, so one case's events stay in order."""
        for name in ("case_id", "aggregate_id"):
            value = getattr(self, name, None)
            if value is not None:
                return str(value)
        raise NotImplementedError(f"{type(self).__name__} must define case_id or aggregate_id")


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID = Field(default_factory=uuid7)
    event_type: str
    schema_version: int
    occurred_at: datetime
    producer: str
    municipality_code: str
    agency_id: str | None
    correlation_id: UUID
    causation_id: UUID | None = None
    payload: dict[str, Any]

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()

    def headers(self) -> list[tuple[str, bytes]]:
        # Only the header fields: the payload is dumped once already, for the value.
        dumped = self.model_dump(mode="json", include=_HEADER_SET)
        return [(k, str(dumped[k]).encode()) for k in HEADER_FIELDS if dumped[k] is not None]

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        """Parse the wire form; any bad input raises pydantic's ``ValidationError``.

        pydantic's own JSON parser, not ``json.loads``: it reads bytes without decoding them
        first (invalid UTF-8 is a validation error, not a ``UnicodeDecodeError``) and caps
        nesting depth (a record nested 100,000 levels deep is a validation error, not a
        ``RecursionError`` from the interpreter's stack).
        """
        return cls.model_validate_json(raw)


def wrap(
    contract: EventContract,
    *,
    producer: str,
    municipality_code: str,
    agency_id: str | None,
    correlation_id: UUID | None = None,
    causation_id: UUID | None = None,
    occurred_at: datetime | None = None,
) -> Envelope:
    event_id = uuid7()
    return Envelope(
        event_id=event_id,
        event_type=contract.event_type,
        schema_version=contract.schema_version,
        occurred_at=occurred_at or datetime.now(UTC),
        producer=producer,
        municipality_code=municipality_code,
        agency_id=agency_id,
        # A first event starts its own correlation chain.
        correlation_id=correlation_id or event_id,
        causation_id=causation_id,
        payload=contract.model_dump(mode="json"),
    )
