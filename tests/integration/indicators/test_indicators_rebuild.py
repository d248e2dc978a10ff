"""`kasane indicators rebuild` drops the read model and replays every topic from offset 0
(with a progress bar) and ends with identical figures."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from typing import Any

import asyncpg
import pytest

from kasane.settings import Settings
from kasane.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.indicators.indicators_events import Events
from tests.integration.indicators.indicators_story import EXPECTED_ACTUALS, build

pytestmark = pytest.mark.integration

FY = 2023  # no other test writes this year


async def _snapshot(indicators: RunningService, city: dict[str, str]) -> tuple[Any, Any]:
    got = []
    for path in ("/indicators", "/operations"):
        response = await indicators.client.get(path, params={"fiscal_year": FY}, headers=city)
        assert response.status_code == 200, response.text
        got.append(response.json())
    return got[0], got[1]


async def _inbox_rows(dsn: str, ids: list[Any]) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM inbox WHERE consumer = 'indicators' AND event_id = ANY($1)", ids
        )
        return count
    finally:
        await conn.close()


async def test_rebuild_from_offset_zero_reproduces_the_figures(
    indicators: RunningService,
    settings: Settings,
    service_env: dict[str, str],
    auth: Callable[..., dict[str, str]],
) -> None:
    city = auth("city-chiiki-fukushi", "city_official")
    ev = Events()
    build(ev, FY, outside=False)
    await ev.send(settings)
    put = await indicators.client.put(
        f"/targets/watch_visits/{FY}", json={"target": 400}, headers=city
    )
    assert put.status_code == 200
    survey = {
        "fiscal_year": FY,
        "results": [{"question_id": "can_counsel", "respondents": 50, "yes": 20}],
    }
    assert (await indicators.client.post("/surveys", json=survey, headers=city)).status_code == 201
    await eventually(
        lambda: _inbox_rows(indicators.dsn, ev.ids), lambda n: n == len(ev.ids), timeout_s=60
    )
    before = await _snapshot(indicators, city)
    rows = {r["id"]: r["actual"] for r in before[0]["indicators"]}
    assert {k: rows[k] for k in EXPECTED_ACTUALS} == EXPECTED_ACTUALS

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "kasane.cli.main",
        "indicators",
        "rebuild",
        env={**os.environ, **service_env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=240)
    assert process.returncode == 0, err.decode()
    output = out.decode()
    # One progress bar per producer topic, each reaching 100 %.
    for producer in ("intake", "referral", "participation", "community", "outreach", "meetings"):
        topic = f"{settings.topic_namespace}kasane.{producer}.v1"
        assert any(line.startswith(topic) and "100%" in line for line in output.splitlines()), (
            output
        )
    assert "done:" in output

    after = await _snapshot(indicators, city)
    assert after == before
    # The inbox was rebuilt together with the facts (one transaction).
    assert await _inbox_rows(indicators.dsn, ev.ids) == len(ev.ids)
    conn = await asyncpg.connect(indicators.dsn)
    try:
        finished = await conn.fetchval(
            "SELECT count(*) FROM rebuilds WHERE finished_at IS NOT NULL"
        )
    finally:
        await conn.close()
    assert finished >= 1
