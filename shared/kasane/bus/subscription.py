"""Binding an :class:`EventConsumer` to FastStream's Kafka subscriber.

FastStream 0.7's Kafka default ``AckPolicy.ACK_FIRST`` commits before handling (a crash
loses the message). We set ``AckPolicy.ACK``: the offset is committed after the handler
returns, i.e. after the inbox transaction committed. Retries and the dead-letter hand-off
live inside the wrapper; only :class:`Transient` failures NACK (seek back) so the message
is redelivered. ``NACK_ON_ERROR`` is never used: a poison message would loop forever.
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


def subscribe(
    broker: KafkaBroker, consumer: EventConsumer, topics: list[str], group_id: str
) -> None:
    @broker.subscriber(
        *topics,
        group_id=group_id,
        ack_policy=AckPolicy.ACK,
        auto_offset_reset="earliest",  # a new consumer group reads every topic from offset 0
    )
    async def on_message(message: KafkaMessage) -> None:
        record = message.raw_message
        assert not isinstance(record, tuple)  # single-message subscriber, never a batch
        delivery = Delivery(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value or b"",
        )
        try:
            await consumer.process(delivery)
        except Transient:
            await asyncio.sleep(TRANSIENT_PAUSE_S)  # do not spin while the database is down
            raise NackMessage() from None
