"""The outbox relay dies right after the database commit (a real process, killed hard).

After a restart the event is published and counted exactly once; dying after publishing
but before marking the row sent publishes it twice, and the inbox still counts it once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import asyncpg
import httpx
import pytest

from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.local.net import free_port
from kasane_dev.testing.services import RunningService, prepare_database, start_child
from tests.integration.fixtures_data import consultation_body, counted, table_count
from tests.integration.helpers import eventually, read_topic

pytestmark = pytest.mark.integration


async def _unsent(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))
    finally:
        await conn.close()


async def _copies_on_topic(settings: Settings, consultation_id: str) -> int:
    records = await read_topic(
        settings.kafka_bootstrap, topic_for("intake", settings.topic_namespace), settle_s=0.5
    )
    # Other tests put poison on this topic too: match on bytes, do not parse.
    return sum(consultation_id.encode() in (r.value or b"") for r in records)


@pytest.mark.parametrize(
    ("fault", "fiscal_year", "copies"),
    [("crash_before_publish", 2011, 1), ("crash_after_publish", 2012, 2)],
)
async def test_relay_killed_then_restarted_counts_once(
    fault: str,
    fiscal_year: int,
    copies: int,
    indicators: RunningService,
    service_env: dict[str, str],
    auth: Callable[..., dict[str, str]],
    settings: Settings,
    tmp_path: Path,
) -> None:
    # The child intake gets a database of its own, so nothing else relays its outbox.
    suffix = f"{settings.database_suffix}_{fault.split('_')[1]}"
    env = {**service_env, "KASANE_DATABASE_SUFFIX": suffix}
    dsn = await prepare_database("intake", settings.model_copy(update={"database_suffix": suffix}))
    child = await start_child(
        "intake", free_port(), {**env, "KASANE_FAULT": fault}, tmp_path / "intake-faulty.log"
    )
    try:
        async with httpx.AsyncClient(base_url=child.base_url) as client:
            # The process may die before or after answering; the database tells what happened.
            with contextlib.suppress(httpx.TransportError):
                await client.post(
                    "/consultations",
                    json=consultation_body(fiscal_year),
                    headers=auth("jiritsu", "counselor"),
                )
        assert await child.wait_exit(30) == 70  # the fault injection's exit code
    finally:
        child.kill()

    conn = await asyncpg.connect(dsn)
    try:
        consultation_id = str(await conn.fetchval("SELECT id FROM consultations"))
    finally:
        await conn.close()
    # Committed (the consultation and its case: several events), none marked sent.
    assert await _unsent(dsn) == await table_count(dsn, "outbox") > 0
    assert await _copies_on_topic(settings, consultation_id) == copies - 1

    restarted = await start_child("intake", free_port(), env, tmp_path / "intake.log")
    try:
        await eventually(lambda: _unsent(dsn), lambda n: n == 0)
    finally:
        restarted.kill()

    city = auth("city-chiiki-fukushi", "city_official")
    assert await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n == 1) == 1
    assert await _copies_on_topic(settings, consultation_id) == copies
    # Counted once even though the broker holds `copies` copies of the event.
    assert await counted(indicators, city, fiscal_year) == 1
