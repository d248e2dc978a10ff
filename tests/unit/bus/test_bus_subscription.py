"""The FastStream binding's parser and decoder cannot fail on any record.

FastStream's own batch parser decodes header values as UTF-8 and its decoder parses JSON;
either failing made ``AckPolicy.ACK`` commit a whole batch unhandled. The real-broker tests
are in ``tests/integration/delivery/test_consumer_poison.py``; these pin the two functions.
"""

from __future__ import annotations

from typing import Any

from aiokafka import ConsumerRecord
from faststream.kafka.message import KafkaAckableMessage
from faststream.kafka.parser import AioKafkaBatchParser

from kasane.bus.subscription import _delivery, _headerless, _raw_records


def _record(offset: int, value: bytes, headers: list[tuple[str, bytes]]) -> Any:
    # aiokafka has no type information: a ConsumerRecord is Any to mypy.
    return ConsumerRecord(
        topic="kasane.intake.v1",
        partition=2,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=b"case-1",
        value=value,
        checksum=None,
        serialized_key_size=6,
        serialized_value_size=len(value),
        headers=headers,
    )


async def test_records_faststream_cannot_decode_reach_kasane_untouched() -> None:
    records = (
        _record(7, b"[" * 5000 + b"]" * 5000, []),
        _record(8, b"{not json", [("content-type", b"application/json")]),
        _record(9, b"\xff\xfe", [("content-type", b"text/plain"), ("x-trace", b"\xff")]),
    )
    default = AioKafkaBatchParser(msg_class=KafkaAckableMessage, regex=None)

    message = await _headerless(records, default.parse_batch)

    assert message.raw_message == records  # the originals, headers included
    assert await _raw_records(message) is records  # the handler's body: no decoding at all
    deliveries = [_delivery(r) for r in records]
    assert [d.offset for d in deliveries] == [7, 8, 9]
    assert deliveries[2].headers == (("content-type", b"text/plain"), ("x-trace", b"\xff"))
    assert deliveries[0].value == records[0].value
