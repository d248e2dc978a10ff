"""Binding an :class:`EventConsumer` to FastStream's Kafka subscriber.

FastStream 0.7's Kafka default ``AckPolicy.ACK_FIRST`` commits before handling (a crash
loses the message). We set ``AckPolicy.ACK``: offsets are committed after the handler
returns, i.e. after every message of the batch went through its own inbox transaction.
Retries and the dead-letter hand-off live inside the wrapper; only :class:`Transient`
failures NACK, which seeks every partition of the batch back to its first record so the
batch is redelivered (messages already handled are then skipped by the inbox).
``NACK_ON_ERROR`` is never used: a poison message would loop forever.

Batches (up to ``MAX_RECORDS``) amortise the offset commit, a broker round trip that
otherwise dominates the per-message cost; handling stays one message, one transaction.
"""

from __future__ import annotations

import asyncio

from faststream import AckPolicy
from faststream.exceptions import NackMessage
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from kasane.bus.consumer import EventConsumer, Transient
from kasane.bus.inbox import Delivery

TRANSIENT_PAUSE_S = 1.0
MAX_RECORDS = 200
BATCH_TIMEOUT_MS = 100


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
    )
    async def on_batch(message: KafkaMessage) -> None:
        records = message.raw_message
        batch = records if isinstance(records, tuple) else (records,)
        try:
            # In order: records of one partition arrive in offset order, so one key's events
            # are handled in the order they were published.
            for record in batch:
                await consumer.process(
                    Delivery(
                        topic=record.topic,
                        partition=record.partition,
                        offset=record.offset,
                        key=record.key,
                        value=record.value or b"",
                        headers=tuple(record.headers or ()),
                    )
                )
        except Transient:
            await asyncio.sleep(TRANSIENT_PAUSE_S)  # do not spin while the database is down
            raise NackMessage() from None
