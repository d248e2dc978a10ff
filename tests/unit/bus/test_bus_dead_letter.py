"""DeadLetterPublisher: the whole record if the broker takes it, else a reference to it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError

from kasane.bus.dead_letter import DeadLetter, DeadLetterPublisher

LIMIT = 1000


class FakeProducer:
    """Refuses what is larger than ``LIMIT`` like aiokafka does (MessageSizeTooLargeError)."""

    def __init__(self, fail_with: Exception | None = None) -> None:
        self.sent: list[dict[str, Any]] = []
        self.fail_with = fail_with

    async def send_and_wait(self, topic: str, **record: Any) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        size = len(record["value"]) + sum(len(k) + len(v or b"") for k, v in record["headers"])
        if size > LIMIT:
            raise MessageSizeTooLargeError(f"The message is {size} bytes")
        self.sent.append({"topic": topic, **record})


def _letter(value: bytes, headers: tuple[tuple[str, bytes | None], ...] = ()) -> DeadLetter:
    return DeadLetter(
        consumer="indicators",
        source_topic="kasane.intake.v1",
        partition=1,
        offset=41,
        key=b"case-1",
        value=value,
        error="MalformedEvent: invalid envelope",
        original_headers=headers,
    )


async def test_a_letter_that_fits_is_sent_whole_with_the_records_own_headers() -> None:
    producer = FakeProducer()
    publisher = DeadLetterPublisher(producer, "kasane.indicators.dlq.v1")
    forged = ("dlq.error", b"nothing to see")  # only the hand-off may set dlq.* headers
    letter = _letter(b"{not json", (("content-type", b"application/json"), forged))

    assert await publisher.send(letter) == "whole"

    (sent,) = producer.sent
    assert sent["topic"] == "kasane.indicators.dlq.v1"
    assert (sent["key"], sent["value"]) == (b"case-1", b"{not json")
    headers = dict(sent["headers"])
    assert headers["content-type"] == b"application/json"
    assert headers["dlq.error"] == b"MalformedEvent: invalid envelope"
    assert [k for k, _ in sent["headers"]].count("dlq.error") == 1
    assert "dlq.reference" not in headers


async def test_a_letter_too_large_to_copy_is_sent_as_a_reference() -> None:
    producer = FakeProducer()
    publisher = DeadLetterPublisher(producer, "kasane.indicators.dlq.v1")
    value = b"x" * (LIMIT - 10)  # fits alone, not with the dlq.* headers

    assert await publisher.send(_letter(value)) == "reference"

    (sent,) = producer.sent
    headers = dict(sent["headers"])
    assert headers["dlq.reference"] == b"true"
    assert headers["dlq.source_topic"] == b"kasane.intake.v1"
    assert (headers["dlq.partition"], headers["dlq.offset"]) == (b"1", b"41")
    assert headers["dlq.size"] == str(len(value)).encode()
    assert headers["dlq.error"] == b"MalformedEvent: invalid envelope"
    assert json.loads(sent["value"]) == {
        "reference": True,
        "source_topic": "kasane.intake.v1",
        "partition": 1,
        "offset": 41,
        "size": len(value),
        "key_size": len(b"case-1"),
        "error": "MalformedEvent: invalid envelope",
    }
    assert sent["key"] == b"case-1"


async def test_a_reference_drops_a_large_key() -> None:
    producer = FakeProducer()
    publisher = DeadLetterPublisher(producer, "dlq")
    letter = DeadLetter("indicators", "t", 0, 1, b"k" * 5000, b"v" * LIMIT, "MalformedEvent: x")
    assert await publisher.send(letter) == "reference"
    assert producer.sent[0]["key"] is None
    assert json.loads(producer.sent[0]["value"])["key_size"] == 5000


async def test_other_publish_failures_propagate() -> None:
    # The consumer turns them into Transient: the record is redelivered, not skipped.
    publisher = DeadLetterPublisher(
        FakeProducer(fail_with=KafkaConnectionError("broker down")),
        "dlq",
    )
    with pytest.raises(KafkaConnectionError):
        await publisher.send(_letter(b"x"))
