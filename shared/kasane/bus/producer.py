"""The one Kafka producer configuration kasane uses for anything it publishes."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from kasane.bus.credentials import KafkaAccess


def idempotent_producer(access: KafkaAccess, client_id: str) -> AIOKafkaProducer:
    # acks=all + idempotence: a retried send never duplicates or reorders within a partition.
    # No linger: the outbox relay hands over each read's rows at once (aiokafka appends them
    # without yielding) and paces its reads itself, so a wait here would only add latency.
    return AIOKafkaProducer(
        **access.client_kwargs(),
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=0,
    )
