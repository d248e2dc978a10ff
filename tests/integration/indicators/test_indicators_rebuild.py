"""`kasane indicators rebuild` drops the read model and replays every topic from offset 0
(with a progress bar) and ends with identical figures, skipping (and reporting) exactly the
records the live consumer dead-letters."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from collections.abc import Callable
from typing import Any

import asyncpg
import pytest

from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.delivery.poison import TRIGGERS, Headers, produce_together
from tests.integration.fixtures_data import consultation_event, counted
from tests.integration.helpers import eventually
from tests.integration.indicators.indicators_events import Events
from tests.integration.indicators.indicators_story import EXPECTED_ACTUALS, build

pytestmark = pytest.mark.integration

FY = 2023  # no other test writes this year


async def _snapshot(
    indicators: RunningService, city: dict[str, str], fiscal_year: int = FY
) -> tuple[Any, Any]:
    got = []
    for path in ("/indicators", "/operations"):
        response = await indicators.client.get(
            path, params={"fiscal_year": fiscal_year}, headers=city
        )
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


async def _rebuild(service_env: dict[str, str], *options: str) -> tuple[str, str]:
    """Run `kasane indicators rebuild` as the operator would; its stdout (result) and stderr
    (progress) once it succeeded."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "kasane_dev.cli.main",
        "indicators",
        "rebuild",
        *options,
        env={**os.environ, **service_env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=240)
    assert process.returncode == 0, err.decode()
    return out.decode(), err.decode()


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

    output, progress = await _rebuild(service_env)
    # One progress bar per producer topic on stderr, each reaching 100 %.
    for producer in ("intake", "referral", "participation", "community", "outreach", "meetings"):
        topic = f"{settings.topic_namespace}kasane.{producer}.v1"
        assert any(line.startswith(topic) and "100%" in line for line in progress.splitlines()), (
            progress
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
    # The live subscriber's verified-log checkpoints spared re-verifying signatures; with
    # --verify-all every one is checked again, and the figures are the same either way.
    vouched = re.search(r"(\d+) signatures vouched for", output)
    assert vouched is not None and int(vouched.group(1)) > 0, output
    output, _ = await _rebuild(service_env, "--verify-all")
    assert "; 0 signatures vouched for" in output, output
    assert await _snapshot(indicators, city) == before


async def test_rebuild_over_poison_matches_the_live_figures_and_reports_the_skipped(
    indicators: RunningService,
    settings: Settings,
    service_env: dict[str, str],
    auth: Callable[..., dict[str, str]],
) -> None:
    fiscal_year = 2048  # no other test writes this year
    topic = topic_for("intake", settings.topic_namespace)
    unknown = json.loads(consultation_event(fiscal_year).to_bytes())
    unknown["event_type"] = "intake.SomethingNobodyKnows"
    poisons: list[tuple[bytes, Headers]] = [
        *TRIGGERS.values(),
        (json.dumps(unknown).encode(), []),
    ]
    key = b"case-rebuild-poison"
    items: list[tuple[bytes | None, bytes, Headers]] = []
    for value, headers in poisons:  # a valid event on each side of every poison
        items += [(key, consultation_event(fiscal_year).to_bytes(), []), (key, value, headers)]
    items.append((key, consultation_event(fiscal_year).to_bytes(), []))
    landed = await produce_together(settings.kafka_bootstrap, topic, items)
    valid = len(poisons) + 1

    city = auth("city-chiiki-fukushi", "city_official")
    live = await eventually(lambda: counted(indicators, city, fiscal_year), lambda n: n >= valid)
    assert live == valid
    before = await _snapshot(indicators, city, fiscal_year)

    output, _ = await _rebuild(service_env)

    # The rebuild finished, and names each record it skipped (where, and why) ...
    skipped_lines = [line for line in output.splitlines() if line.startswith("skipped ")]
    for n, (metadata, (_, _)) in enumerate(zip(landed[1::2], poisons, strict=True)):
        where = f"skipped {topic}[{metadata.partition}]@{metadata.offset}: "
        reason = "UnknownEvent" if n == len(poisons) - 1 else "MalformedEvent"
        assert any(line.startswith(where + reason) for line in skipped_lines), output
    # ... and the read model it built gives the live consumer's figures.
    assert await _snapshot(indicators, city, fiscal_year) == before
    assert await counted(indicators, city, fiscal_year) == valid
