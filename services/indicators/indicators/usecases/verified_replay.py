"""Which records of a replay need their signature checked: the verified-log rule, per partition.

The live subscriber keeps checkpoints of a running SHA-256 over every record it verified, with
its verdict (:mod:`kasane.bus.verified_log`). A replay folds the records it reads into the same
digest, assuming each was accepted, and holds them back until the next checkpoint:

- digest equal: the bytes are those the subscriber verified and it accepted every one of them —
  they are released without a second signature check (only: is the key they name still trusted
  for the topic? If not, the record is verified now, and refused);
- digest different: every held record is verified now and the digest recomputed with those
  verdicts. Equal now (the subscriber had refused some of them, e.g. forged records it
  dead-lettered): released with their verdicts. Still different: the topic no longer holds what
  the subscriber verified (altered, removed or inserted records) — :class:`RebuildRefused`,
  nothing is swapped.

Records before a chain's start or after its last checkpoint are verified as before; so is
everything when there are no checkpoints (or ``trust_checkpoints`` is off: ``--verify-all``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from kasane.bus.inbox import Delivery
from kasane.bus.reading import Rejected
from kasane.bus.signing import EventVerifier, verify_delivery
from kasane.bus.verified_log import Checkpoint, genesis, link, signature_of

# What the judge learns about a record's signature: None (authentic, parse it without checking
# again) or the rejection the live consumer would dead-letter it with.
Verdict = Rejected | None


class RebuildRefused(RuntimeError):
    """The topics differ from what the live subscriber verified: no swap."""


def check(verifier: EventVerifier, delivery: Delivery) -> Verdict:
    reason = verify_delivery(verifier, delivery)
    return None if reason is None else Rejected(reason, authentic=False)


@dataclass
class PartitionLog:
    """A partition's checkpoints and the records held back until the next one matches."""

    topic: str
    partition: int
    start: int
    checkpoints: deque[Checkpoint]
    verifier: EventVerifier
    digest: bytes = b""
    held: list[Delivery] = field(default_factory=list)
    held_from: bytes = b""  # the digest before the first held record
    trusted: int = 0  # records released on the strength of a checkpoint

    def __post_init__(self) -> None:
        self.digest = self.held_from = genesis(self.topic, self.partition, self.start)
        self.last = self.checkpoints[-1].offset if self.checkpoints else -1

    def judge(self, delivery: Delivery, decided: list[tuple[Delivery, Verdict]]) -> None:
        """Append to ``decided`` the records now decided, in offset order: ``delivery``
        itself, or held ones with it (at a checkpoint), or none (held)."""
        if not self.start <= delivery.offset <= self.last:
            decided.append((delivery, check(self.verifier, delivery)))
            return
        # A checkpoint's own offset is missing from the topic: settle it without it (it fails).
        while self.checkpoints and delivery.offset > self.checkpoints[0].offset:
            decided += self._settle(self.checkpoints.popleft())
        self.digest = link(self.digest, delivery, True)
        self.held.append(delivery)
        if self.checkpoints and delivery.offset == self.checkpoints[0].offset:
            decided += self._settle(self.checkpoints.popleft())

    def finish(self) -> None:
        """At the end offsets: every checkpoint must have been reached."""
        if self.checkpoints or self.held:
            offset = self.checkpoints[0].offset if self.checkpoints else self.last
            raise self._refused(offset)

    def _settle(self, checkpoint: Checkpoint) -> list[tuple[Delivery, Verdict]]:
        held, self.held = self.held, []
        if self.digest == checkpoint.digest:
            self.held_from = self.digest
            return [(d, self._still_trusted(d)) for d in held]
        verdicts = [check(self.verifier, d) for d in held]
        digest = self.held_from
        for d, verdict in zip(held, verdicts, strict=True):
            digest = link(digest, d, verdict is None)
        if digest != checkpoint.digest:
            raise self._refused(checkpoint.offset)
        self.digest = self.held_from = digest
        return list(zip(held, verdicts, strict=True))

    def _still_trusted(self, delivery: Delivery) -> Verdict:
        if self.verifier.trusts_signer(delivery.topic, signature_of(delivery)):
            self.trusted += 1
            return None
        return check(self.verifier, delivery)  # its key is no longer trusted: judge it now

    def _refused(self, offset: int) -> RebuildRefused:
        return RebuildRefused(
            f"{self.topic}[{self.partition}]: the records up to offset {offset} are not those the"
            " live subscriber verified (its verified-log checkpoint differs): records were"
            " altered, removed or inserted on the broker. The old figures are kept; see"
            " docs/architecture/read-model-rebuild.md (--verify-all rebuilds from the records"
            " as they are, refusing each one whose signature fails)"
        )


def judge_batch(
    log: PartitionLog | None, verifier: EventVerifier | None, deliveries: Sequence[Delivery]
) -> list[tuple[Delivery, Verdict]]:
    """One partition's batch: the records decided now, each with its signature verdict."""
    if verifier is None:
        return [(d, None) for d in deliveries]
    if log is None:
        return [(d, check(verifier, d)) for d in deliveries]
    decided: list[tuple[Delivery, Verdict]] = []
    for delivery in deliveries:
        log.judge(delivery, decided)
    return decided
