"""Shared bits of community's integration tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from kasane.events.topics import topic_for
from kasane.settings import Settings
from tests.integration.helpers import eventually, read_topic

Auth = Callable[..., dict[str, str]]


async def events_where(
    settings: Settings,
    producer: str,
    accept: Callable[[dict[str, Any]], bool],
    count: int,
) -> list[dict[str, Any]]:
    """The envelopes on ``producer``'s topic that ``accept`` picks, once ``count`` are there."""
    topic = topic_for(producer, settings.topic_namespace)

    async def probe() -> list[dict[str, Any]]:
        records = await read_topic(settings.kafka_bootstrap, topic, settle_s=0.5)
        found = [json.loads(r.value) for r in records if r.value]
        return [e for e in found if accept(e)]

    return await eventually(probe, lambda found: len(found) >= count)
