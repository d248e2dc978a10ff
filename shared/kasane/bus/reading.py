"""The one way a consumed record becomes a typed event, or is rejected.

The live consumer (:mod:`kasane.bus.consumer`) and every replay (``kasane indicators
rebuild``) call :func:`read`, so a record is judged by one rule wherever it is read: what
the live path dead-letters, a replay skips. It takes the whole :class:`Delivery` (headers
included), so a check that needs more than the value — e.g. verifying a signature header
before parsing — goes here, in front of the parse, for every reader at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from kasane.bus.inbox import Delivery
from kasane.bus.signing import EventVerifier, verify_delivery
from kasane.events.registry import EventRegistry, MalformedEvent, ParsedEvent, UnknownEvent


@dataclass(frozen=True)
class Rejected:
    """A record no retry can make valid: dead-letter it (live) or skip it (replay)."""

    error: str  # "UnverifiedEvent: …", "MalformedEvent: …" or "UnknownEvent: …", no values
    # False when the signature check refused it (the verdict a verified log keeps).
    authentic: bool = True


def authentic(outcome: ParsedEvent | Rejected) -> bool:
    """The signature verdict of a :func:`read` outcome (a parse failure is still authentic)."""
    return not isinstance(outcome, Rejected) or outcome.authentic


def read(
    registry: EventRegistry, delivery: Delivery, verifier: EventVerifier | None = None
) -> ParsedEvent | Rejected:
    # Authenticity first: nothing parses bytes its producer did not sign (broker-trust.md).
    if (unverified := verify_delivery(verifier, delivery)) is not None:
        return Rejected(unverified, authentic=False)
    try:
        return registry.parse(delivery.value)
    except (MalformedEvent, UnknownEvent) as exc:
        return Rejected(f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a parser bug must not lose or stall a record
        return Rejected(f"MalformedEvent: {type(exc).__name__}")
