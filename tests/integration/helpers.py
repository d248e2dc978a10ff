"""Small async helpers shared by integration tests."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import ConsumerRecord

from kasane.bus.credentials import ADMIN, kafka_access
from kasane.bus.signing import EventSigner, signer_for
from kasane.settings import SERVICES, get_settings

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool], timeout_s: float = 30
) -> T:
    """Poll ``probe`` until ``accept`` holds; fail with the last value seen."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        value = await probe()
        if accept(value):
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s; last value: {value!r}")
        await asyncio.sleep(0.2)


def admin_kwargs(bootstrap: str) -> dict[str, object]:
    # Tests read and inject as the broker's admin (of the run's settings): it may touch
    # every topic, which a test standing in for a producing service needs.
    kwargs = kafka_access(get_settings(), ADMIN).client_kwargs()
    kwargs["bootstrap_servers"] = bootstrap
    return kwargs


def owner_signer(topic: str) -> EventSigner | None:
    """The signing key of the service owning ``topic`` (``<any namespace>kasane.<service>.v1``)."""
    found = re.search(r"(?:^|\.)kasane\.([a-z]+)\.v1$", topic)
    if found is None or found.group(1) not in SERVICES:
        return None
    return signer_for(get_settings(), found.group(1))


async def read_topic(bootstrap: str, topic: str, settle_s: float = 2.0) -> list[ConsumerRecord]:
    """Every record currently on ``topic`` (reads from offset 0 until quiet)."""
    consumer = AIOKafkaConsumer(
        topic,
        **admin_kwargs(bootstrap),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records: list[ConsumerRecord] = []
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=int(settle_s * 1000))
            if not batch:
                return records
            for part in batch.values():
                records.extend(part)
    finally:
        await consumer.stop()


async def produce(
    bootstrap: str,
    topic: str,
    items: list[tuple[bytes | None, bytes]],
    *,
    signer: EventSigner | bool | None = True,
) -> None:
    """Put records on ``topic`` as its producing service would: signed with that service's
    key (``signer=True``), with a given key, or unsigned (``signer=False``)."""
    chosen = owner_signer(topic) if signer is True else (signer or None)
    producer = AIOKafkaProducer(**admin_kwargs(bootstrap), acks="all")
    await producer.start()
    try:
        for key, value in items:
            headers = chosen.headers(value) if chosen is not None else None
            await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()
