"""`kasane demo` against the seven services running as real processes (real Kafka and
PostgreSQL): the year loads, indicators reports the demo's own figures, and a second run
says "already loaded" and changes nothing.

The services get a topic namespace and database suffix of their own, so indicators counts
only this test's year (other tests in the session write FY2025 data too).
"""

from __future__ import annotations

import asyncio
import io
import shutil
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kasane.auth.tokens import mint_dev_token
from kasane.reference.partners import is_known_partner
from kasane.settings import SERVICES, Settings
from kasane_dev.demo.journal import marker_path
from kasane_dev.demo.plan import generate
from kasane_dev.demo.runner import Options, run
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import prepare_run
from kasane_dev.testing.services import ChildService, prepare_database, start_child

pytestmark = pytest.mark.integration

OPTIONS = Options(seed=5, fiscal_year=2025, scale=0.1, settle_timeout_s=120)


@pytest.fixture
async def stack(
    settings: Settings, service_env: dict[str, str], tmp_path: Path
) -> AsyncIterator[tuple[Settings, dict[str, str]]]:
    run_id = uuid.uuid4().hex[:6]
    isolated = settings.model_copy(
        update={
            "database_suffix": f"{settings.database_suffix}_demo{run_id}",
            "topic_namespace": f"{settings.topic_namespace}demo{run_id}.",
            "state_dir": tmp_path / "state",
        }
    )
    # The demo signs its tokens with the key the services verify.
    shutil.copytree(settings.keys_dir, isolated.keys_dir)
    # The services may not create topics: the namespace's topics and ACLs come first.
    await asyncio.to_thread(prepare_run, isolated)
    for name in SERVICES:
        await prepare_database(name, isolated)
    env = {
        **service_env,
        "KASANE_DATABASE_SUFFIX": isolated.database_suffix,
        "KASANE_TOPIC_NAMESPACE": isolated.topic_namespace,
    }
    started = await asyncio.gather(
        *(start_child(n, free_port(), env, tmp_path / f"{n}.log") for n in SERVICES),
        return_exceptions=True,
    )
    children = [c for c in started if isinstance(c, ChildService)]
    try:
        failed = [e for e in started if isinstance(e, BaseException)]
        if failed:
            raise failed[0]
        yield isolated, {c.name: c.base_url for c in children}
    finally:
        for child in children:
            child.kill()


async def _figures(settings: Settings, urls: dict[str, str]) -> tuple[dict[str, Any], list[Any]]:
    token = mint_dev_token(settings.keys_dir, "test", "city-chiiki-fukushi", ["city_official"])
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=urls["indicators"], headers=headers) as client:
        rows = (await client.get("/indicators", params={"fiscal_year": 2025})).json()
        ops = (await client.get("/operations", params={"fiscal_year": 2025})).json()
    return {r["id"]: r["actual"] for r in rows["indicators"]}, ops["figures"]


async def _partner_reads_its_cases(
    settings: Settings, urls: dict[str, str], expected: Counter[str | None]
) -> None:
    for partner, n in expected.items():
        assert partner is not None
        token = mint_dev_token(settings.keys_dir, "test", partner, ["partner"])
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(headers=headers) as client:
            listed = await client.get(f"{urls['referral']}/referrals")
            items = listed.json()["items"]
            assert len(items) == n and {i["status"] for i in items} == {"accepted"}, items
            for item in items:
                case = await client.get(f"{urls['intake']}/cases/{item['case_id']}")
                assert case.status_code == 200, case.text


async def test_demo_year_matches_indicators_and_a_second_run_changes_nothing(
    stack: tuple[Settings, dict[str, str]],
) -> None:
    settings, urls = stack
    out = io.StringIO()
    outcome = await run(settings, urls, OPTIONS, out)

    assert outcome.status == "loaded", out.getvalue()
    assert "✓ indicators matches the demo" in out.getvalue()
    # Every row of the demo's summary equals indicators' FY2025 figure, つなぎ and
    # 地域づくり included (they are dated by when they happened, not when they were entered).
    rows = {row["label"]: row for row in outcome.summary["checks"]}
    assert all(row["demo"] == row["indicators"] for row in rows.values()), rows
    for label in ("つなぎ 依頼", "つなぎ 受理", "参加支援 参加開始", "支え合い推進会議 開催"):
        assert rows[label]["demo"] > 0, label
    assert any(label.startswith("見守りネットワーク 通報") for label in rows)
    # Checked here too, independently of the runner's own comparison.
    plan = generate(OPTIONS.seed, OPTIONS.fiscal_year, OPTIONS.scale)
    indicators, operations = await _figures(settings, urls)
    made = Counter(c.plan.program for c in plan.cases if c.plan)
    for program in ("participation", "outreach", "multiagency"):
        assert indicators[f"plans_{program}"] == made[program] > 0
    assert indicators["watch_visits"] == sum(w.visits for w in plan.watch_reports)
    assert indicators["jiritsu_new_consultations"] == sum(c.agency == "jiritsu" for c in plan.cases)
    by_agency = {
        f["key"]: f["value"] for f in operations if f["figure"] == "consultations.by_agency"
    }
    assert by_agency == dict(Counter(c.agency for c in plan.cases for _ in c.consultations))
    held = {f["key"]: f["value"] for f in operations if f["figure"] == "meetings.held"}
    assert held == {"multilayer_meeting": 12, "support_meeting": 12}
    single = {f["figure"]: f["value"] for f in operations if f["key"] == ""}
    referrals = sum(len(c.referrals) for c in plan.cases)
    assert single["referrals.requested"] == single["referrals.accepted"] == referrals > 0
    # つなぎ to a 連携機関: received by the partner (counted in the total above, accepted).
    partner_refs = Counter(
        r.to_agency
        for c in plan.cases
        for r in c.referrals
        if r.to_agency is not None and is_known_partner(r.to_agency)
    )
    received: Counter[str] = Counter()
    for f in operations:
        if f["figure"] == "referrals.received_by_agency_month":
            received[f["key"].split("|")[0]] += f["value"]
    assert partner_refs and all(received[p] == n for p, n in partner_refs.items()), received
    # The partner sees its referrals and, while they are live (accepted), reads the case.
    await _partner_reads_its_cases(settings, urls, partner_refs)
    # ケース再開 on the reopened day, within the year.
    reopened = sum(c.reopened is not None for c in plan.cases)
    assert single["cases.reopened"] == rows["ケース再開"]["demo"] == reopened > 0
    assert single["participation.started"] == sum(c.participation is not None for c in plan.cases)
    assert single["community.support_councils"] == len(plan.councils) > 0
    concerns = {f["key"]: f["value"] for f in operations if f["figure"] == "community.concerns"}
    assert sum(concerns.values()) == len(plan.concerns) > 0
    assert marker_path(settings.state_dir, 2025, OPTIONS.seed).exists()

    again = io.StringIO()
    second = await run(settings, urls, OPTIONS, again)

    assert second.status == "already_loaded"
    assert "already loaded" in again.getvalue()
    assert await _figures(settings, urls) == (indicators, operations)
