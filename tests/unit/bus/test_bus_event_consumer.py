"""EventConsumer outcomes with in-memory fakes: no Kafka, no database.

``kasane.bus.consumer.handle_once`` is replaced by :class:`tests.fakes.inbox.FakeInbox`, which
behaves like the real one (the handler's effects and the inbox row commit together, or
neither does): ``tests/contracts/inbox_contract.py`` checks both against one contract.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar
from uuid import UUID

import asyncpg
import pytest

from kasane.bus.consumer import EventConsumer, Outcome, Transient
from kasane.bus.dead_letter import DeadLetter
from kasane.bus.inbox import Delivery, Handler, handle_once
from kasane.events import EventRegistry, wrap
from kasane.events.envelope import Envelope, EventContract
from kasane.events.intake import CONTRACTS, ConsultationReceived
from kasane.events.registry import ParsedEvent
from kasane.ids import uuid7
from tests.fakes.inbox import FakeInbox, FakePool

JST = timezone(timedelta(hours=9))
CONSUMER = "indicators"


class RecordingHandler:
    """Handler that raises the queued errors first, then succeeds and records the event."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.attempts = 0
        self.handled: list[tuple[Any, ParsedEvent]] = []

    async def __call__(self, conn: Any, event: ParsedEvent) -> None:
        self.attempts += 1
        if self.errors:
            raise self.errors.pop(0)
        self.handled.append((conn, event))


class AlwaysFailing:
    def __init__(self, make_error: Callable[[int], BaseException]) -> None:
        self.make_error = make_error
        self.attempts = 0

    async def __call__(self, conn: Any, event: ParsedEvent) -> None:
        self.attempts += 1
        raise self.make_error(self.attempts)


class FakeDeadLetters:
    def __init__(self, fail_with: Exception | None = None) -> None:
        self.letters: list[DeadLetter] = []
        self.fail_with = fail_with

    async def send(self, letter: DeadLetter) -> str:
        if self.fail_with is not None:
            raise self.fail_with
        self.letters.append(letter)
        return "whole"


# The fake inbox of the running test; _consumer hands it to the EventConsumer (never patch
# kasane.bus.consumer.handle_once: live consumers of integration tests share the process).
_inbox: FakeInbox | None = None


@pytest.fixture
def inbox() -> Iterator[FakeInbox]:
    global _inbox
    _inbox = FakeInbox()
    yield _inbox
    _inbox = None


def _consumer(
    handler: Handler,
    dead_letters: FakeDeadLetters | None = None,
    registry: EventRegistry | None = None,
    max_attempts: int = 3,
    backoff_s: float = 0.0,
) -> tuple[EventConsumer, FakePool, FakeDeadLetters]:
    pool = FakePool()
    letters = dead_letters or FakeDeadLetters()
    consumer = EventConsumer(
        name=CONSUMER,
        registry=registry or EventRegistry(CONTRACTS),
        pool=pool,
        dead_letters=letters,  # type: ignore[arg-type]
        handler=handler,
        max_attempts=max_attempts,
        backoff_s=backoff_s,
        inbox=_inbox if _inbox is not None else handle_once,
    )
    return consumer, pool, letters


def _envelope() -> Envelope:
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
    )


def _delivery(value: bytes, offset: int = 7) -> Delivery:
    return Delivery(
        topic="kasane.intake.v1", partition=2, offset=offset, key=b"case-1", value=value
    )


async def test_first_delivery_is_handled(inbox: FakeInbox) -> None:
    handler = RecordingHandler()
    consumer, pool, letters = _consumer(handler)
    envelope = _envelope()
    delivery = _delivery(envelope.to_bytes())

    assert await consumer.process(delivery) is Outcome.HANDLED

    assert handler.attempts == 1
    ((conn, event),) = handler.handled
    assert conn is pool.conn
    assert event.envelope == envelope
    assert isinstance(event.contract, ConsultationReceived)
    assert inbox.calls == [(CONSUMER, envelope.event_id, delivery)]
    assert letters.letters == []


async def test_redelivered_event_is_a_duplicate(inbox: FakeInbox) -> None:
    handler = RecordingHandler()
    consumer, _, letters = _consumer(handler)
    raw = _envelope().to_bytes()

    assert await consumer.process(_delivery(raw, offset=7)) is Outcome.HANDLED
    assert await consumer.process(_delivery(raw, offset=8)) is Outcome.DUPLICATE

    assert len(handler.handled) == 1
    assert len(inbox.calls) == 2
    assert letters.letters == []


async def test_distinct_events_are_each_handled(inbox: FakeInbox) -> None:
    handler = RecordingHandler()
    consumer, _, _ = _consumer(handler)
    outcomes = [await consumer.process(_delivery(_envelope().to_bytes())) for _ in range(3)]
    assert outcomes == [Outcome.HANDLED] * 3
    assert len(handler.handled) == 3


@pytest.mark.parametrize("max_attempts", [1, 3, 5])
async def test_handler_failing_every_time_is_dead_lettered_after_max_attempts(
    inbox: FakeInbox, max_attempts: int
) -> None:
    handler = AlwaysFailing(lambda n: ValueError(f"bad data on attempt {n}"))
    consumer, _, letters = _consumer(handler, max_attempts=max_attempts)
    envelope = _envelope()
    delivery = _delivery(envelope.to_bytes())

    assert await consumer.process(delivery) is Outcome.DEAD_LETTERED

    assert handler.attempts == max_attempts
    assert len(inbox.calls) == max_attempts
    assert inbox.rows == set()  # no attempt committed
    (letter,) = letters.letters
    assert letter.value == delivery.value  # the original bytes, untouched
    assert letter.key == delivery.key
    assert letter.consumer == CONSUMER
    assert (letter.source_topic, letter.partition, letter.offset) == (
        delivery.topic,
        delivery.partition,
        delivery.offset,
    )
    assert "ValueError" in letter.error
    assert f"bad data on attempt {max_attempts}" in letter.error  # the last error


async def test_dead_letter_headers_carry_the_error_and_source() -> None:
    letter = DeadLetter(
        consumer=CONSUMER,
        source_topic="kasane.intake.v1",
        partition=2,
        offset=7,
        key=b"k",
        value=b"v",
        error="ValueError: " + "x" * 5000,
    )
    headers = dict(letter.headers())
    assert headers["dlq.consumer"] == CONSUMER.encode()
    assert headers["dlq.source_topic"] == b"kasane.intake.v1"
    assert int(headers["dlq.partition"]) == 2
    assert int(headers["dlq.offset"]) == 7
    assert headers["dlq.error"].startswith(b"ValueError: ")
    assert len(headers["dlq.error"]) <= 2000


async def test_retries_back_off_between_attempts(inbox: FakeInbox) -> None:
    handler = AlwaysFailing(lambda n: ValueError("nope"))
    consumer, _, _ = _consumer(handler, max_attempts=3, backoff_s=0.02)
    started = time.monotonic()
    assert await consumer.process(_delivery(_envelope().to_bytes())) is Outcome.DEAD_LETTERED
    # Sleeps of 1x and 2x the backoff between the three attempts, none after the last.
    assert time.monotonic() - started >= 0.02 + 0.04 - 0.005


async def test_handler_failing_once_then_succeeding_is_handled(inbox: FakeInbox) -> None:
    handler = RecordingHandler(ValueError("flaky"))
    consumer, _, letters = _consumer(handler)
    envelope = _envelope()

    assert await consumer.process(_delivery(envelope.to_bytes())) is Outcome.HANDLED

    assert handler.attempts == 2
    assert len(inbox.calls) == 2
    assert len(handler.handled) == 1
    assert inbox.rows == {(CONSUMER, envelope.event_id)}
    assert letters.letters == []


def _transient_errors() -> list[BaseException]:
    return [
        ConnectionResetError("connection reset by peer"),
        ConnectionRefusedError("connection refused"),
        TimeoutError("pool acquire timed out"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"),
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.TooManyConnectionsError("too many clients"),
        asyncpg.exceptions.InterfaceError("connection is closed"),
    ]


@pytest.mark.parametrize("error", _transient_errors(), ids=lambda e: type(e).__name__)
async def test_infrastructure_failure_is_transient(error: BaseException) -> None:
    global _inbox
    inbox = _inbox = FakeInbox(fail_with=error)
    handler = RecordingHandler()
    try:
        consumer, _, letters = _consumer(handler)
    finally:
        _inbox = None

    with pytest.raises(Transient):
        await consumer.process(_delivery(_envelope().to_bytes()))

    assert len(inbox.calls) == 1  # no local retries: the message is redelivered instead
    assert handler.attempts == 0
    assert letters.letters == []


async def test_a_handler_bug_raising_oserror_is_dead_lettered_not_redelivered(
    inbox: FakeInbox,
) -> None:
    handler = RecordingHandler(*[FileNotFoundError("template.html")] * 3)
    consumer, _, letters = _consumer(handler)
    assert await consumer.process(_delivery(_envelope().to_bytes())) is Outcome.DEAD_LETTERED
    assert handler.attempts == 3
    assert "FileNotFoundError" in letters.letters[0].error


async def test_connection_lost_inside_the_handler_is_transient(inbox: FakeInbox) -> None:
    handler = RecordingHandler(asyncpg.exceptions.ConnectionDoesNotExistError("closed"))
    consumer, _, letters = _consumer(handler)
    with pytest.raises(Transient, match="closed"):
        await consumer.process(_delivery(_envelope().to_bytes()))
    assert handler.attempts == 1
    assert inbox.rows == set()
    assert letters.letters == []


async def test_transient_after_a_failed_attempt_is_still_transient(inbox: FakeInbox) -> None:
    handler = RecordingHandler(ValueError("bad"), ConnectionResetError("db went away"))
    consumer, _, letters = _consumer(handler, max_attempts=5)
    with pytest.raises(Transient):
        await consumer.process(_delivery(_envelope().to_bytes()))
    assert handler.attempts == 2
    assert letters.letters == []


@pytest.mark.parametrize(
    "raw",
    [b"\xff not json at all", b"{}", b"[]"],
    ids=["not-json", "empty-object", "json-list"],
)
async def test_malformed_bytes_are_dead_lettered_without_calling_the_handler(
    inbox: FakeInbox, raw: bytes
) -> None:
    handler = RecordingHandler()
    consumer, _, letters = _consumer(handler)
    delivery = _delivery(raw)

    assert await consumer.process(delivery) is Outcome.DEAD_LETTERED

    assert inbox.calls == []
    assert handler.attempts == 0
    (letter,) = letters.letters
    assert letter.value == raw
    assert "MalformedEvent" in letter.error


async def test_broken_payload_is_dead_lettered_without_calling_the_handler(
    inbox: FakeInbox,
) -> None:
    data = json.loads(_envelope().to_bytes())
    data["payload"]["issue_codes"] = "elderly_care"
    raw = json.dumps(data).encode()
    handler = RecordingHandler()
    consumer, _, letters = _consumer(handler)
    assert await consumer.process(_delivery(raw)) is Outcome.DEAD_LETTERED
    assert inbox.calls == []
    assert [letter.value for letter in letters.letters] == [raw]


async def test_unknown_event_type_is_dead_lettered_without_calling_the_handler(
    inbox: FakeInbox,
) -> None:
    data = json.loads(_envelope().to_bytes())
    data["event_type"] = "intake.SomethingNobodyKnows"
    raw = json.dumps(data).encode()
    handler = RecordingHandler()
    consumer, _, letters = _consumer(handler)
    assert await consumer.process(_delivery(raw)) is Outcome.DEAD_LETTERED
    assert inbox.calls == []
    (letter,) = letters.letters
    assert "UnknownEvent" in letter.error
    assert letter.value == raw


async def test_dead_letter_publish_failure_is_transient_for_poison(inbox: FakeInbox) -> None:
    handler = RecordingHandler()
    consumer, _, _ = _consumer(handler, FakeDeadLetters(fail_with=RuntimeError("broker down")))
    with pytest.raises(Transient, match="broker down"):
        await consumer.process(_delivery(b"\xff not json"))


async def test_dead_letter_publish_failure_is_transient_after_retries(inbox: FakeInbox) -> None:
    handler = AlwaysFailing(lambda n: ValueError("bad"))
    consumer, _, _ = _consumer(handler, FakeDeadLetters(fail_with=OSError("broker down")))
    with pytest.raises(Transient):
        await consumer.process(_delivery(_envelope().to_bytes()))
    assert handler.attempts == 3


class _ThingV2(EventContract):
    event_type: ClassVar[str] = "test.Thing"
    schema_version: ClassVar[int] = 2
    case_id: UUID
    visits: int


async def test_upcaster_failure_is_dead_lettered(inbox: FakeInbox) -> None:
    registry = EventRegistry([_ThingV2])
    registry.register_upcaster("test.Thing", 1, lambda p: {**p, "visits": p["count"]})
    envelope = Envelope(
        event_type="test.Thing",
        schema_version=1,
        occurred_at=datetime.now(JST),
        producer="test",
        municipality_code="402036",
        agency_id=None,
        correlation_id=uuid7(),
        payload={"case_id": str(uuid7())},  # no "count": the upcaster cannot read it
    )
    handler = RecordingHandler()
    consumer, _, letters = _consumer(handler, registry=registry)
    assert await consumer.process(_delivery(envelope.to_bytes())) is Outcome.DEAD_LETTERED
    assert [letter.value for letter in letters.letters] == [envelope.to_bytes()]
