"""The one producer configuration: durable sends, and batches the broker accepts."""

from __future__ import annotations

import inspect

import pytest
from aiokafka import AIOKafkaProducer

from kasane.bus.credentials import KafkaAccess
from kasane.bus.producer import MAX_BATCH_BYTES, idempotent_producer
from kasane.bus.relay import OutboxRelay

# Kafka's default message.max.bytes (the local broker and compose keep the default): a batch
# larger than this is refused by the broker as a whole.
BROKER_MESSAGE_MAX_BYTES = 1_048_588
SIGNED_EVENT_BYTES = 1_100  # a signed ConsultationReceived with its headers, rounded up
PARTITIONS = 3


def _producer() -> AIOKafkaProducer:
    return idempotent_producer(KafkaAccess("127.0.0.1:9", "PLAINTEXT", None), "test")


@pytest.mark.asyncio
async def test_sends_wait_for_every_replica_and_are_idempotent() -> None:
    producer = _producer()
    assert producer._sender._acks == -1  # acks="all"
    assert producer._txn_manager is not None  # only enable_idempotence creates one


@pytest.mark.asyncio
async def test_a_batch_fits_the_request_and_the_brokers_limit() -> None:
    producer = _producer()
    assert producer._message_accumulator._batch_size == MAX_BATCH_BYTES
    assert MAX_BATCH_BYTES <= producer._max_request_size
    assert MAX_BATCH_BYTES < BROKER_MESSAGE_MAX_BYTES


def test_one_relay_read_is_one_batch_per_partition() -> None:
    # aiokafka keeps one request in flight per broker with one batch per partition: a read
    # that needs several batches per partition waits for several round trips.
    read_rows = inspect.signature(OutboxRelay).parameters["batch_size"].default
    assert read_rows * SIGNED_EVENT_BYTES / PARTITIONS < MAX_BATCH_BYTES
