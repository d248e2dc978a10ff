"""Creating topics up front, so consumers never race a producer's auto-creation."""

from __future__ import annotations

import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

DEFAULT_PARTITIONS = 3


async def ensure_topics(
    bootstrap: str, topics: list[str], partitions: int = DEFAULT_PARTITIONS
) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in dict.fromkeys(topics) if t not in existing]
        if not missing:
            return
        # retention.ms=-1: topics are the system of record; read models rebuild from offset 0.
        new = [
            NewTopic(
                t,
                num_partitions=partitions,
                replication_factor=1,
                topic_configs={"retention.ms": "-1"},
            )
            for t in missing
        ]
        with contextlib.suppress(TopicAlreadyExistsError):  # another service won the race
            await admin.create_topics(new)
    finally:
        await admin.close()
