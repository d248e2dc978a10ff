"""The consumer wrapper: parse, handle once through the inbox, retry, dead-letter.

Outcomes per message (the record's raw bytes, read by :func:`kasane.bus.reading.read`):
- not signed by the producer's key (:mod:`kasane.bus.signing`) -> dead-letter topic at
  once, before anything parses it;
- malformed or unknown event -> dead-letter topic at once (retrying cannot help);
- handler error -> up to ``max_attempts`` tries, then dead-letter topic;
- infrastructure down (database unreachable, DLQ publish failing) -> :class:`Transient`,
  which the FastStream binding turns into a NACK (seek back, redeliver later): the
  message is not poison, so it must not be dead-lettered or committed.
A poison message therefore never blocks its partition and never crashes the service; one
too large to copy to the dead-letter topic is dead-lettered as a reference
(:mod:`kasane.bus.dead_letter`).

The live subscriber hands whole batches to :meth:`EventConsumer.process_batch`: one inbox
transaction for all readable records of the batch; if a handler fails, the transaction is
rolled back and the batch is handled again record by record through :meth:`process`, so
the failing record alone is retried and dead-lettered (docs/architecture/inbox-and-dead-letters.md).
With a :class:`~kasane.bus.verified_log.VerifiedLog`, each handled batch's signature verdicts
are folded into the partitions' running digests and checkpointed — inside the batch's inbox
transaction, so the checkpoint commits with the batch's effects — and a replay need not verify
those records again (docs/architecture/verified-log.md).
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from kasane.bus.dead_letter import DeadLetter, DeadLetterPublisher
from kasane.bus.inbox import (
    BatchInboxStep,
    BeforeCommit,
    Delivery,
    Handler,
    InboxStep,
    handle_batch,
    handle_once,
)
from kasane.bus.reading import Rejected, authentic, read
from kasane.bus.signing import EventVerifier
from kasane.bus.verified_log import Chain, VerifiedLog
from kasane.bus.verified_log import Key as ChainKey
from kasane.events.registry import EventRegistry, ParsedEvent

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
    # The inbox step; unit tests hand in a fake here. Never patch the module's global: the
    # live consumers of other tests in the same process would use the fake too.
    inbox: InboxStep = handle_once
    batch_inbox: BatchInboxStep = handle_batch
    # Checkpoints of what was verified, so a replay need not verify it again
    # (kasane.bus.verified_log); None: not kept. Only with a verifier.
    verified_log: VerifiedLog | None = None

    async def process_batch(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        """The outcome of each delivery, in order; the effect is exactly that of calling
        :meth:`process` on each in turn, with one transaction instead of one per record.

        Records :func:`read` rejects are dead-lettered first (no retry can help them). The
        rest go through :func:`kasane.bus.inbox.handle_batch`. If a handler raises, that
        transaction rolls back entirely and the batch is handled again one record at a time
        by :meth:`process`: the failing record gets its retries and its dead letter alone,
        the others are applied. No savepoint per record: two more round trips for every
        record on the happy path, to save work only in the rare failing batch.
        """
        outcomes: dict[int, Outcome] = {}
        readable: list[tuple[int, ParsedEvent, Delivery]] = []
        judged: list[tuple[Delivery, bool]] = []
        for i, delivery in enumerate(deliveries):
            event = read(self.registry, delivery, self.verifier)
            judged.append((delivery, authentic(event)))
            if isinstance(event, Rejected):
                outcomes[i] = await self._dead_letter(delivery, event.error)
            else:
                readable.append((i, event, delivery))
        checkpointed = False
        if len(readable) == 1:
            i, _, delivery = readable[0]
            outcomes[i] = await self.process(delivery)
        elif readable:
            checkpointed = await self._handle_together(readable, judged, outcomes)
        if not checkpointed:
            await self._record_verified(judged)
        return [outcomes[i] for i in range(len(deliveries))]

    async def _handle_together(
        self,
        readable: list[tuple[int, ParsedEvent, Delivery]],
        judged: list[tuple[Delivery, bool]],
        outcomes: dict[int, Outcome],
    ) -> bool:
        """The readable records in one inbox transaction, else one by one; fills ``outcomes``.
        True if the batch's verified-log checkpoint committed with it."""
        staged: list[dict[ChainKey, Chain]] = []
        try:
            ran = await self.batch_inbox(
                self.pool,
                self.name,
                [(e, d) for _, e, d in readable],
                self.handler,
                before_commit=self._checkpoint_into(judged, staged),
            )
        except _TRANSIENT as exc:
            raise Transient(str(exc)) from exc
        except Exception as exc:
            log.warning(
                "%s: batch of %d rolled back (%s); handling it record by record",
                self.name,
                len(readable),
                type(exc).__name__,
            )
            for i, _, delivery in readable:
                outcomes[i] = await self.process(delivery)
            return False
        for (i, _, _), first in zip(readable, ran, strict=True):
            outcomes[i] = Outcome.HANDLED if first else Outcome.DUPLICATE
        if self.verified_log is None or not staged:
            return False
        self.verified_log.adopt(staged[0])  # committed with the batch
        return True

    def _checkpoint_into(
        self, judged: list[tuple[Delivery, bool]], staged: list[dict[ChainKey, Chain]]
    ) -> BeforeCommit | None:
        """The batch transaction's last step: the verified-log checkpoint of the whole batch
        (refused records' verdicts included), written on the batch's connection so it commits
        with the effects. One transaction instead of two per batch; if it fails, the batch
        rolls back and is handled record by record like any failed batch, and the checkpoint
        is then tried on its own (:meth:`_record_verified`)."""
        log_ = self.verified_log
        if log_ is None or self.verifier is None:
            return None

        async def checkpoint(conn: asyncpg.Connection) -> None:
            staged.append(await log_.stage(conn, judged))

        return checkpoint

    async def _record_verified(self, judged: list[tuple[Delivery, bool]]) -> None:
        """After the batch is handled: its verdicts into the verified log. A lost checkpoint
        only makes a replay verify more, so only an infrastructure failure (redeliver) stops
        the batch; anything else is logged and the chains restart from what is stored."""
        if self.verified_log is None or self.verifier is None:
            return
        try:
            await self.verified_log.record(self.pool, judged)
        except _TRANSIENT as exc:
            raise Transient(str(exc)) from exc
        except Exception as exc:
            log.error("%s: verified-log checkpoint not stored: %s", self.name, exc)

    async def process(self, delivery: Delivery) -> Outcome:
        event = read(self.registry, delivery, self.verifier)
        if isinstance(event, Rejected):
            return await self._dead_letter(delivery, event.error)
        last_error = ""
        for attempt in range(1, self.max_attempts + 1):
            try:
                ran = await self.inbox(self.pool, self.name, event, delivery, self.handler)
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
            original_headers=delivery.headers,
        )
        try:
            form = await self.dead_letters.send(letter)
        except Exception as exc:
            raise Transient(f"dead-letter publish failed: {exc}") from exc
        log.error(
            "%s: dead-lettered %s[%d]@%d (%s): %s",
            self.name,
            delivery.topic,
            delivery.partition,
            delivery.offset,
            form,
            error,
        )
        return Outcome.DEAD_LETTERED
