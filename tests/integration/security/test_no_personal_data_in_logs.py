"""No personal data in any service's log file (issue 12 item 4).

The seven services run as real uvicorn processes writing their logs to files, as under
`kasane up`. A demo year goes through every service's public API (names, ふりがな, birth
dates, addresses, phones, narratives, outreach 手がかり, plan wishes), including the
duplicate search before each registration; then callers put personal data in query strings
anyway (the old duplicate-search URL, and a stray parameter on every service). Every log
file is searched for every personal value, raw and URL-encoded: none may appear.
"""

from __future__ import annotations

import asyncio
import io
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import pytest

from kasane.auth.tokens import mint_dev_token
from kasane.settings import SERVICES, Settings
from kasane_dev.demo.model import DemoPlan
from kasane_dev.demo.plan import generate
from kasane_dev.demo.runner import Options, run
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import prepare_run
from kasane_dev.testing.services import ChildService, prepare_database, start_child

pytestmark = pytest.mark.integration

OPTIONS = Options(seed=11, fiscal_year=2025, scale=0.05, settle_timeout_s=120)


@pytest.fixture
async def stack(
    settings: Settings, service_env: dict[str, str], tmp_path: Path
) -> AsyncIterator[tuple[Settings, dict[str, str], Path]]:
    run_id = uuid.uuid4().hex[:6]
    isolated = settings.model_copy(
        update={
            "database_suffix": f"{settings.database_suffix}_logs{run_id}",
            "topic_namespace": f"{settings.topic_namespace}logs{run_id}.",
            "state_dir": tmp_path / "state",
        }
    )
    shutil.copytree(settings.keys_dir, isolated.keys_dir)
    # Services may not create topics: the namespace's topics and ACLs come first (admin).
    await asyncio.to_thread(prepare_run, isolated)
    for name in SERVICES:
        await prepare_database(name, isolated)
    env = {
        **service_env,
        "KASANE_DATABASE_SUFFIX": isolated.database_suffix,
        "KASANE_TOPIC_NAMESPACE": isolated.topic_namespace,
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    started = await asyncio.gather(
        *(start_child(n, free_port(), env, logs / f"{n}.log") for n in SERVICES),
        return_exceptions=True,
    )
    children = [c for c in started if isinstance(c, ChildService)]
    try:
        failed = [e for e in started if isinstance(e, BaseException)]
        if failed:
            raise failed[0]
        yield isolated, {c.name: c.base_url for c in children}, logs
    finally:
        for child in children:
            child.kill()


def personal_values(plan: DemoPlan) -> set[str]:
    values: set[str] = set()
    for case in plan.cases:
        if case.household is not None:
            for member in case.household.members:
                p = member.person
                values |= {p.name, p.kana, p.birth_date.isoformat(), p.address}
                values |= {p.name.replace(" ", ""), p.kana.replace(" ", "")}
                if p.phone:
                    values.add(p.phone)
        for c in case.consultations:
            values |= {t for t in (c.narrative, c.between_systems_reason) if t}
        if case.outreach is not None:
            values.add(case.outreach.description)
        if case.plan is not None:
            values.add(case.plan.wishes)
    return {v for v in values if len(v) >= 4}


def forms(value: str) -> set[str]:
    """The value as it could appear in a log line: raw, or URL-encoded in a request target."""
    return {value, quote(value), quote_plus(value), quote(value, safe="")}


async def test_no_personal_value_in_any_service_log(
    stack: tuple[Settings, dict[str, str], Path],
) -> None:
    settings, urls, logs = stack
    out = io.StringIO()
    outcome = await run(settings, urls, OPTIONS, out)
    assert outcome.status == "loaded", out.getvalue()
    plan = generate(OPTIONS.seed, OPTIONS.fiscal_year, OPTIONS.scale)
    values = personal_values(plan)
    person = next(m.person for c in plan.cases if c.household for m in c.household.members)
    assert person.kana in values and person.address in values

    token = mint_dev_token(settings.keys_dir, "logs-test", "jiritsu", ["counselor"])
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:
        # The old duplicate-search URL, with every key in the query: refused, not logged.
        old = await client.get(
            f"{urls['intake']}/persons/duplicates",
            params={
                "kana": person.kana,
                "birth_date": person.birth_date.isoformat(),
                "address": person.address,
            },
        )
        assert old.status_code == 405
        # Person search: criteria in the body, answered 200, and none of them in a log.
        found = await client.post(
            f"{urls['intake']}/persons/search",
            json={
                "name": person.name,
                "kana": person.kana,
                "birth_date": person.birth_date.isoformat(),
                "address": person.address,
            },
        )
        assert found.status_code == 200, found.text
        # A stray personal parameter on every service's routes (ignored by the route).
        for base in urls.values():
            for path in ("/healthz", "/no-such-route"):
                await client.get(f"{base}{path}", params={"q": person.name, "tel": person.phone})

    files = sorted(logs.glob("*.log"))
    assert {f.stem for f in files} == set(SERVICES)
    texts = {f.name: f.read_text(encoding="utf-8", errors="replace") for f in files}
    leaks = sorted(
        (name, value)
        for name, text in texts.items()
        for value in values
        if any(form in text for form in forms(value))
    )
    assert leaks == []
    # The access log is on: the calls above are in it, without their query strings.
    assert '"GET /persons/duplicates?… HTTP/1.1" 405' in texts["intake.log"]
    assert all("/healthz?…" in text for text in texts.values())
