"""Turning bytes into typed events: envelope, then contract by ``event_type``.

``event_type`` is the discriminator. Known types validate against their contract (after
upcasting older schema versions); anything else raises :class:`UnknownEvent` /
:class:`MalformedEvent`, which the consumer wrapper sends to the dead-letter topic.

:meth:`EventRegistry.parse` raises nothing else, whatever the bytes: a record a producer
could write must never reach the consumer as an unexpected exception (see
``docs/architecture/inbox-and-dead-letters.md``). Error texts name fields and reasons,
never the offending values: they end up in log lines and dead-letter headers, and a bad
payload may carry personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from kasane.events.envelope import Envelope, EventContract

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class MalformedEvent(ValueError):
    """The bytes are not a valid envelope or the payload breaks its contract."""


class UnknownEvent(ValueError):
    """A well-formed envelope whose event type (or version) this consumer does not know."""


@dataclass(frozen=True)
class ParsedEvent:
    envelope: Envelope
    contract: EventContract


class EventRegistry:
    def __init__(self, contracts: Iterable[type[EventContract]] = ()) -> None:
        self._contracts: dict[str, type[EventContract]] = {}
        # (event_type, from_version) -> function producing the from_version + 1 payload
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        for contract in contracts:
            self.register(contract)

    def register(self, contract: type[EventContract]) -> None:
        if contract.event_type in self._contracts:
            raise ValueError(f"duplicate event type {contract.event_type}")
        self._contracts[contract.event_type] = contract
        for from_version, fn in contract.upcasters.items():
            self.register_upcaster(contract.event_type, from_version, fn)

    def register_upcaster(self, event_type: str, from_version: int, fn: Upcaster) -> None:
        self._upcasters[(event_type, from_version)] = fn

    @property
    def contracts(self) -> dict[str, type[EventContract]]:
        return dict(self._contracts)

    def parse(self, raw: bytes) -> ParsedEvent:
        """The typed event in ``raw``; raises only MalformedEvent or UnknownEvent."""
        try:
            envelope = Envelope.from_bytes(raw)
        except ValidationError as exc:
            raise MalformedEvent(f"invalid envelope: {describe(exc)}") from exc
        except Exception as exc:  # whatever the bytes do, they are malformed
            raise MalformedEvent(f"invalid envelope: {type(exc).__name__}") from exc
        contract = self._contracts.get(envelope.event_type)
        if contract is None:
            raise UnknownEvent(f"unknown event type {envelope.event_type!r}"[:300])
        payload = self._upcast(envelope.event_type, envelope.schema_version, envelope.payload)
        try:
            return ParsedEvent(envelope, contract.model_validate(payload))
        except ValidationError as exc:
            raise MalformedEvent(f"{envelope.event_type}: {describe(exc)}") from exc
        except Exception as exc:  # e.g. RecursionError on a deep payload
            raise MalformedEvent(f"{envelope.event_type}: {type(exc).__name__}") from exc

    def _upcast(self, event_type: str, version: int, payload: dict[str, Any]) -> dict[str, Any]:
        target = self._contracts[event_type].schema_version
        if version > target:
            raise UnknownEvent(f"{event_type} v{version} is newer than this consumer (v{target})")
        while version < target:
            step = self._upcasters.get((event_type, version))
            if step is None:
                raise UnknownEvent(f"no upcaster for {event_type} v{version}")
            try:
                payload = step(payload)
            except Exception as exc:  # an old payload the upcaster cannot read is poison
                raise MalformedEvent(
                    f"{event_type} v{version} upcast failed: {type(exc).__name__}"
                ) from exc
            version += 1
        return payload


def describe(exc: ValidationError) -> str:
    """Where and why validation failed, without the input values (they may be personal)."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        where = ".".join(str(p) for p in error["loc"]) or "(root)"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
