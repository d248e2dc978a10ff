"""The HTML dashboard in a real headless browser (Debian's chromium via Playwright), served
by the indicators app as a child process, with numbers produced by events; people sign in
through the real Keycloak (authorization code + PKCE) with the realm's demo accounts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright

from kasane.settings import REPO_ROOT, Settings
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import TestKeycloak, prepare_run
from kasane_dev.testing.services import ChildService, RunningService, start_child
from tests.integration.helpers import eventually
from tests.integration.indicators.indicators_events import Events
from tests.integration.indicators.indicators_story import EXPECTED_ACTUALS, build

pytestmark = pytest.mark.integration

FY = 2024  # 令和6年度; no other test writes this year
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = REPO_ROOT / "test-artifacts" / "dashboard.png"


@pytest.fixture
async def served(
    indicators: RunningService,
    settings: Settings,
    service_env: dict[str, str],
    auth: Callable[..., dict[str, str]],
    keycloak: TestKeycloak,
    tmp_path: Path,
) -> AsyncIterator[ChildService]:
    city = auth("city-chiiki-fukushi", "city_official")
    ev = Events()
    build(ev, FY, outside=False)
    await ev.send(settings)
    for indicator, value in (("watch_visits", 500), ("jiritsu_new_consultations", 4)):
        put = await indicators.client.put(
            f"/targets/{indicator}/{FY}", json={"target": value}, headers=city
        )
        assert put.status_code == 200
    survey = {
        "fiscal_year": FY,
        "results": [{"question_id": "mutual_support", "respondents": 400, "yes": 268}],
    }
    assert (await indicators.client.post("/surveys", json=survey, headers=city)).status_code == 201

    async def actuals() -> dict[str, object]:
        response = await indicators.client.get(
            "/indicators", params={"fiscal_year": FY}, headers=city
        )
        return {r["id"]: r["actual"] for r in response.json()["indicators"]}

    await eventually(actuals, lambda a: all(a[k] == v for k, v in EXPECTED_ACTUALS.items()), 60)
    # The in-process app consumed the events into the database; the child serves the pages
    # from that database. Its own subscriber gets a topic namespace of its own, so it does
    # not join (and rebalance) the in-process consumer group.
    namespace = f"{settings.topic_namespace}dashboard."
    env = {
        **service_env,
        "KASANE_TOPIC_NAMESPACE": namespace,
        # As `kasane up` configures services: trust the embedded Keycloak's realm.
        "KASANE_OIDC_ISSUERS": json.dumps([keycloak.issuer]),
    }
    # Services may not create topics: that namespace's topics and ACLs come first.
    await asyncio.to_thread(prepare_run, settings.model_copy(update={"topic_namespace": namespace}))
    child = await start_child("indicators", free_port(), env, tmp_path / "indicators.log")
    try:
        yield child
    finally:
        child.process.terminate()
        await child.wait_exit(30)


DEMO_PASSWORD = "Kasane-demo-2025"  # the realm's demo accounts (development only)


async def _sign_in_at_keycloak(page: Page, username: str) -> None:
    """On Keycloak's login form (Japanese by the realm's default locale)."""
    await page.wait_for_selector("#kc-login")
    assert await page.get_attribute("html", "lang") == "ja"
    await page.fill("#username", username)
    await page.fill("#password", DEMO_PASSWORD)
    async with page.expect_navigation():
        await page.click("#kc-login")


async def test_dashboard_sign_in_through_keycloak_renders_real_numbers_in_chromium(
    served: ChildService, keycloak: TestKeycloak
) -> None:
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    dashboard = f"{served.base_url}/dashboard?fiscal_year={FY}"
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="ja-JP"
            )
            page = await context.new_page()
            # Not signed in: a sign-in link, no figures, no token form.
            first = await page.goto(dashboard)
            assert first is not None and first.status == 401
            assert await page.locator("#indicators").count() == 0
            assert await page.locator("textarea").count() == 0
            # An agency's demo account signs in but may not see the city's dashboard.
            await page.click("#sign-in")
            assert page.url.startswith(keycloak.issuer)
            await _sign_in_at_keycloak(page, "jiritsu-counselor")
            assert "権限がありません" in await page.inner_text("body")
            # Sign-out ends Keycloak's session too: the next sign-in asks for a password.
            async with page.expect_navigation(url=f"{served.base_url}/dashboard"):
                await page.click("#sign-out")
            await page.goto(dashboard)
            await page.click("#sign-in")
            await _sign_in_at_keycloak(page, "city-official")
            await page.wait_for_selector("#indicators")
            assert page.url == dashboard  # back where the sign-in started

            def cell(indicator: str, field: str) -> str:
                return f'tr[data-indicator="{indicator}"] td[data-field="{field}"]'

            header = await page.inner_text("#fiscal-year")
            assert header.startswith(f"令和6年度（FY{FY}）")
            assert await page.inner_text(cell("watch_visits", "actual")) == "450件"
            assert await page.inner_text(cell("watch_visits", "target")) == "500件"
            assert await page.inner_text(cell("watch_visits", "progress")) == "90.0%"
            assert await page.inner_text(cell("jiritsu_new_consultations", "progress")) == "50.0%"
            assert await page.inner_text(cell("plans_multiagency", "actual")) == "3件"
            assert await page.inner_text(cell("plans_multiagency", "target")) == "36件"
            assert await page.inner_text(cell("survey_mutual_support", "actual")) == "67.0%"
            # Charts: progress, three monthly trends, two per-agency, funnel, placements.
            assert await page.locator("svg").count() >= 8
            monthly = page.locator('[data-chart="community.watch_visits_by_month"] svg rect')
            assert await monthly.count() == 12
            agencies = await page.inner_text('[data-chart="consultations.by_agency"]')
            assert "生活自立支援センター" in agencies
            # The Excel link works with the session cookie, an HttpOnly SameSite=Lax secret.
            xlsx = f"{served.base_url}/indicators.xlsx?fiscal_year={FY}"
            assert (await page.request.get(xlsx)).status == 200
            (cookie,) = [c for c in await context.cookies() if c["name"] == "kasane_session"]
            assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
            await page.screenshot(path=str(SCREENSHOT), full_page=True)
            # Sign-out without the form's CSRF token is refused and the session survives.
            forged = await page.request.post(f"{served.base_url}/dashboard/logout")
            assert forged.status == 403
            assert (await page.request.get(xlsx)).status == 200
            async with page.expect_navigation(url=f"{served.base_url}/dashboard"):
                await page.click("#sign-out")
            assert (await page.request.get(xlsx)).status == 401
        finally:
            await browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
