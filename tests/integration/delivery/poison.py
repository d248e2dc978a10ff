"""Hostile records for delivery and rebuild tests, and a producer that batches them."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer
from aiokafka.structs import RecordMetadata

from tests.integration.helpers import admin_kwargs, owner_signer

Headers = list[tuple[str, bytes]]

DEEP_JSON = b"[" * 5000 + b"]" * 5000  # json.loads: RecursionError

# (value, headers) of each record FastStream could not decode, as seen in issue 11.
TRIGGERS: dict[str, tuple[bytes, Headers]] = {
    "deeply-nested-json": (DEEP_JSON, []),
    "not-json-labelled-json": (b"{not json", [("content-type", b"application/json")]),
    "invalid-utf8-labelled-text": (b"\xff\xfe\xfd", [("content-type", b"text/plain")]),
}


async def produce_together(
    bootstrap: str,
    topic: str,
    items: list[tuple[bytes | None, bytes, Headers]],
    partition: int | None = None,
) -> list[RecordMetadata]:
    """Send ``items`` in one producer batch (linger) and return where each landed.

    One batch on one partition is fetched as one, so the consumer sees the records
    together, as in the incident. Every record is signed by the topic's owner, as its relay
    would: the poison must get past the signature check to reach the parser it tests."""
    signer = owner_signer(topic)
    producer = AIOKafkaProducer(**admin_kwargs(bootstrap), acks="all", linger_ms=200)
    await producer.start()
    try:
        futures = [
            await producer.send(
                topic,
                value=v,
                key=k,
                headers=[*h, *(signer.headers(v) if signer else [])],
                partition=partition,
            )
            for k, v, h in items
        ]
        await producer.flush()
        return [await f for f in futures]
    finally:
        await producer.stop()
