"""Shared bits of outreach's integration tests."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg

from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, read_topic

Auth = Callable[..., dict[str, str]]
DESCRIPTION = "○○町2丁目、雨戸がいつも閉まっている家。50代の息子と80代の母"


def target_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "source": "minsei_iin",
        "description": DESCRIPTION,
        "school_district_code": "08",
    }
    return {**body, **overrides}


async def register(svc: RunningService, headers: dict[str, str], **overrides: Any) -> str:
    r = await svc.client.post("/targets", json=target_body(**overrides), headers=headers)
    assert r.status_code == 201, r.text
    target_id: str = r.json()["target_id"]
    return target_id


def contact_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "contact_id": str(uuid.uuid4()),
        "method": "visit",
        "result": "absent",
        "attempted_on": "2025-05-01",
        "note": "インターホンに応答なし。郵便受けに手紙を入れた",
    }
    return {**body, **overrides}


async def events_where(
    settings: Settings, producer: str, accept: Callable[[dict[str, Any]], bool], count: int
) -> list[dict[str, Any]]:
    topic = topic_for(producer, settings.topic_namespace)

    async def probe() -> list[dict[str, Any]]:
        records = await read_topic(settings.kafka_bootstrap, topic, settle_s=0.5)
        found = [json.loads(r.value) for r in records if r.value]
        return [e for e in found if accept(e)]

    return await eventually(probe, lambda found: len(found) >= count)


async def fetch(dsn: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()
