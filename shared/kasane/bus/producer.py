"""The one Kafka producer configuration kasane uses for anything it publishes."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from kasane.bus.credentials import KafkaAccess

# aiokafka keeps one produce request in flight per broker, carrying at most one batch per
# partition; with its default 16 KiB batches a relay read of 500 signed events (~450 KB) took
# about ten sequential round trips, and the relay fell behind intake under load. A read's
# records for one partition now fit one batch (still below the broker's 1 MiB message limit
# and the producer's max_request_size), so a read is one request: fewer requests for the
# broker too, whose CPU goes mostly per request (bench/README.md).
MAX_BATCH_BYTES = 512 * 1024


def idempotent_producer(access: KafkaAccess, client_id: str) -> AIOKafkaProducer:
    # acks=all + idempotence: a retried send never duplicates or reorders within a partition.
    return AIOKafkaProducer(
        **access.client_kwargs(),
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=MAX_BATCH_BYTES,
    )
