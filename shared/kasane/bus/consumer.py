"""The consumer wrapper: parse, handle once through the inbox, retry, dead-letter.

Outcomes per message:
- not signed by the producer's key (:mod:`kasane.bus.signing`) -> dead-letter topic at
  once, before anything parses it;
- malformed or unknown event -> dead-letter topic at once (retrying cannot help);
- handler error -> up to ``max_attempts`` tries, then dead-letter topic;
- infrastructure down (database unreachable, DLQ publish failing) -> :class:`Transient`,
  which the FastStream binding turns into a NACK (seek back, redeliver later): the
  message is not poison, so it must not be dead-lettered or committed.
A poison message therefore never blocks its partition and never crashes the service.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from dataclasses import dataclass

import asyncpg

from kasane.bus.dead_letter import DeadLetter, DeadLetterPublisher
from kasane.bus.inbox import Delivery, Handler, handle_once
from kasane.bus.signing import EventVerifier, verify_delivery
from kasane.events.registry import EventRegistry, MalformedEvent, UnknownEvent

log = logging.getLogger(__name__)

# Infrastructure that is down, not a message that is bad. Deliberately not all of OSError:
# a handler's FileNotFoundError is a bug to dead-letter, not a reason to redeliver forever.
_TRANSIENT: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
)


class Outcome(enum.Enum):
    HANDLED = "handled"
    DUPLICATE = "duplicate"
    DEAD_LETTERED = "dead_lettered"


class Transient(RuntimeError):
    """Infrastructure failure: redeliver later instead of committing the offset."""


@dataclass
class EventConsumer:
    name: str
    registry: EventRegistry
    pool: asyncpg.Pool
    dead_letters: DeadLetterPublisher
    handler: Handler
    max_attempts: int = 3
    backoff_s: float = 0.2
    # Signature check before parsing; the service factory always sets it (None: unit tests).
    verifier: EventVerifier | None = None

    async def process(self, delivery: Delivery) -> Outcome:
        if (rejected := verify_delivery(self.verifier, delivery)) is not None:
            return await self._dead_letter(delivery, rejected)
        try:
            event = self.registry.parse(delivery.value)
        except (MalformedEvent, UnknownEvent) as exc:
            return await self._dead_letter(delivery, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # a parser bug must not lose the message either
            return await self._dead_letter(delivery, f"MalformedEvent: {exc!r}")
        last_error = ""
        for attempt in range(1, self.max_attempts + 1):
            try:
                ran = await handle_once(self.pool, self.name, event, delivery, self.handler)
                return Outcome.HANDLED if ran else Outcome.DUPLICATE
            except _TRANSIENT as exc:
                raise Transient(str(exc)) from exc
            except Exception as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "%s: %s failed (attempt %d/%d): %s",
                    self.name,
                    event.envelope.event_id,
                    attempt,
                    self.max_attempts,
                    last_error,
                )
                if attempt < self.max_attempts:
                    await asyncio.sleep(self.backoff_s * attempt)
        return await self._dead_letter(delivery, last_error)

    async def _dead_letter(self, delivery: Delivery, error: str) -> Outcome:
        letter = DeadLetter(
            consumer=self.name,
            source_topic=delivery.topic,
            partition=delivery.partition,
            offset=delivery.offset,
            key=delivery.key,
            value=delivery.value,
            error=error,
        )
        try:
            await self.dead_letters.send(letter)
        except Exception as exc:
            raise Transient(f"dead-letter publish failed: {exc}") from exc
        log.error(
            "%s: dead-lettered %s[%d]@%d: %s",
            self.name,
            delivery.topic,
            delivery.partition,
            delivery.offset,
            error,
        )
        return Outcome.DEAD_LETTERED
