"""The one Kafka producer configuration kasane uses for anything it publishes."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer


def idempotent_producer(bootstrap: str, client_id: str) -> AIOKafkaProducer:
    # acks=all + idempotence: a retried send never duplicates or reorders within a partition.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
    )
