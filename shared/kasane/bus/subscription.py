"""Binding an :class:`EventConsumer` to FastStream's Kafka subscriber.

FastStream 0.7's Kafka default ``AckPolicy.ACK_FIRST`` commits before handling (a crash
loses the message). We set ``AckPolicy.ACK``: offsets are committed after the handler
returns, i.e. after the batch went through the inbox (one transaction for the batch,
record by record only when a handler failed: :meth:`EventConsumer.process_batch`).
Retries and the dead-letter hand-off live inside the wrapper; only :class:`Transient`
failures NACK, which seeks every partition of the batch back to its first record so the
batch is redelivered (messages already handled are then skipped by the inbox).
``NACK_ON_ERROR`` is never used: a poison message would loop forever.

Batches (up to ``MAX_RECORDS``) amortise the offset commit, a broker round trip, and the
database commit: one inbox transaction per batch.

Raw bytes only. FastStream's Kafka parser decodes every header value as UTF-8 and its
decoder runs ``json.loads`` on every body before the handler is called; in batch mode one
record it cannot decode (invalid UTF-8, a non-JSON body labelled ``application/json``,
JSON nested deeper than the interpreter's stack) raises before the handler, and
``AckPolicy.ACK`` then commits the whole batch: every record in it lost, valid ones too.
So the subscriber gets :func:`_headerless` as its parser and :func:`_raw_records` as its
decoder, neither of which can fail: the handler's one argument is the tuple of untouched
records (:func:`kasane.bus.reading.read` judges each one). Stripping the headers from
FastStream's view also keeps a record's ``reply_to`` header from making FastStream publish
anything.

The handler takes that body, typed ``Any``, and nothing from FastStream's context: a
``KafkaMessage`` parameter is resolved by fast_depends as a synchronous custom field, run in
a worker thread on every batch (a task group and a thread hop, several % of the subscriber's
CPU).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.exceptions import NackMessage
from faststream.kafka import KafkaBroker
from faststream.message import StreamMessage

from kasane.bus.consumer import EventConsumer, Transient
from kasane.bus.inbox import Delivery

TRANSIENT_PAUSE_S = 1.0
MAX_RECORDS = 200
BATCH_TIMEOUT_MS = 100


Records = tuple[ConsumerRecord[Any, Any], ...]


async def _headerless(
    records: Records, default_parser: Callable[[Records], Awaitable[StreamMessage[Any]]]
) -> StreamMessage[Any]:
    """FastStream's own batch parser (it binds the consumer used to ack and nack), shown
    copies without headers so it has nothing to decode; the message then carries the
    original records, headers included, for kasane."""
    message = await default_parser(tuple(dataclasses.replace(r, headers=()) for r in records))
    message.raw_message = records
    return message


async def _raw_records(message: StreamMessage[Any]) -> Any:
    """No decoding: the handler gets the original records; bytes are judged by kasane."""
    return message.raw_message


def _delivery(record: ConsumerRecord[Any, Any]) -> Delivery:
    return Delivery(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value or b"",
        headers=tuple(record.headers or ()),
    )


def subscribe(
    broker: KafkaBroker, consumer: EventConsumer, topics: list[str], group_id: str
) -> None:
    @broker.subscriber(
        *topics,
        group_id=group_id,
        ack_policy=AckPolicy.ACK,
        auto_offset_reset="earliest",  # a new consumer group reads every topic from offset 0
        batch=True,
        max_records=MAX_RECORDS,
        batch_timeout_ms=BATCH_TIMEOUT_MS,
        parser=_headerless,
        decoder=_raw_records,
    )
    async def on_batch(records: Any) -> None:
        batch: Records = records if isinstance(records, tuple) else (records,)
        try:
            # In order: records of one partition arrive in offset order, so one key's events
            # are handled in the order they were published; one inbox transaction per batch.
            await consumer.process_batch([_delivery(record) for record in batch])
        except Transient:
            await asyncio.sleep(TRANSIENT_PAUSE_S)  # do not spin while the database is down
            raise NackMessage() from None
