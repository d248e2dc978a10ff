"""The portal on a real stack: the seven services and the portal as child processes (real
HTTP between them, as deployed), the real broker and database, the real Keycloak; people
drive it in Debian's chromium through Playwright.

The stack has a topic namespace and database suffix of its own, so its consumer groups and
data never meet the in-process services other tests start in the same session.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright

from kasane.settings import REPO_ROOT, SERVICES, Settings
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import TestKeycloak, prepare_run
from kasane_dev.testing.services import ChildService, prepare_database, start_child
from tests.integration.auth.keycloak_admin import TEST_PASSWORD, KeycloakAdmin

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "Kasane-demo-2025"  # the realm's demo accounts (development only)
AXE = REPO_ROOT / "tools" / "portal-assets" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "portal"


@dataclass
class PortalStack:
    portal: ChildService
    services: dict[str, ChildService]
    settings: Settings  # this stack's namespace and database suffix
    keycloak: TestKeycloak

    @property
    def url(self) -> str:
        return self.portal.base_url


# Package scope: the stack (eight processes, their database connections) is started once for
# the portal tests and stopped after the last of them, before other packages' tests run.
@pytest.fixture(scope="package")
async def portal_stack(
    settings: Settings,
    service_env: dict[str, str],
    keycloak: TestKeycloak,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[PortalStack]:
    logs = tmp_path_factory.mktemp("portal-stack")
    namespace = f"{settings.topic_namespace}portal."
    suffix = f"{settings.database_suffix}_portal"
    own = settings.model_copy(update={"topic_namespace": namespace, "database_suffix": suffix})
    await asyncio.to_thread(prepare_run, own)
    for name in (*SERVICES, "portal"):
        await prepare_database(name, own)
    env = {
        **service_env,
        "KASANE_TOPIC_NAMESPACE": namespace,
        "KASANE_DATABASE_SUFFIX": suffix,
        # As `kasane up` configures them: every service trusts the embedded Keycloak.
        "KASANE_OIDC_ISSUERS": json.dumps([keycloak.issuer]),
        # Eight processes beside the in-process services of other tests: small pools keep
        # the run under a default PostgreSQL's 100 connections.
        "KASANE_DB_POOL_MAX_SIZE": "4",
    }
    children: dict[str, ChildService] = {}
    try:
        started = await asyncio.gather(
            *(start_child(n, free_port(), env, logs / f"{n}.log", 120) for n in SERVICES)
        )
        children = {c.name: c for c in started}
        urls = {name: child.base_url for name, child in children.items()}
        portal = await start_child(
            "portal",
            free_port(),
            {**env, "KASANE_SERVICE_URLS": json.dumps(urls)},
            logs / "portal.log",
            120,
        )
        children["portal"] = portal
        yield PortalStack(portal, children, own, keycloak)
    finally:
        for child in children.values():
            child.process.terminate()
        for child in children.values():
            with contextlib.suppress(TimeoutError):
                await child.wait_exit(30)
            child.kill()


@pytest.fixture(scope="package")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        found = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield found
        finally:
            await found.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh browser profile per test: no cookies, so no session, from the last one."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    try:
        yield await context.new_page()
    finally:
        await context.close()


@dataclass(frozen=True)
class StaffAccount:
    username: str
    password: str


@pytest.fixture(scope="package")
async def staff_account(
    portal_stack: PortalStack,
) -> AsyncIterator[Callable[[str, str], Awaitable[StaffAccount]]]:
    """``await staff_account("jiritsu", "counselor")``: a Keycloak user of this run in that
    agency's group with that role. Demo accounts are shared with other tests (lockouts after
    failed-password tests, OTP for the auditor); these are the run's own."""
    async with httpx.AsyncClient() as http:
        admin = KeycloakAdmin(portal_stack.keycloak, http)
        made: dict[tuple[str, str], StaffAccount] = {}

        async def make(agency: str, role: str) -> StaffAccount:
            if (agency, role) not in made:
                username = f"{agency}-{role}-{uuid.uuid4().hex[:6]}"
                await admin.create_user(username, agency, role)
                made[agency, role] = StaffAccount(username, TEST_PASSWORD)
            return made[agency, role]

        yield make


async def sign_in_as(
    page: Page, stack: PortalStack, account: StaffAccount, start: str = "/"
) -> None:
    await sign_in(page, stack, account.username, start, account.password)


async def sign_in(
    page: Page, stack: PortalStack, username: str, start: str = "/", password: str = DEMO_PASSWORD
) -> None:
    """As a person would: open a page, get sent to Keycloak's form, sign in, come back."""
    await page.goto(stack.url + start)
    await page.wait_for_selector("#kc-login")
    await page.fill("#username", username)
    await page.fill("#password", password)
    async with page.expect_navigation(url=lambda u: u.startswith(stack.url)):
        await page.click("#kc-login")


async def serious_violations(page: Page) -> list[dict[str, object]]:
    """axe-core (installed by the project from npm) in the page: WCAG 2.1 A/AA rules; the
    serious and critical violations, each with the offending elements' selectors."""
    # Evaluated through the DevTools protocol, not a <script> tag: the portal's CSP (only its
    # own files) would rightly refuse an inline script.
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = await page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


async def screenshot(page: Page, name: str, focus: str | None = None) -> Path:
    """The whole page; with ``focus``, one screen (the viewport) starting at that element:
    the README's walkthrough shows what each step is about, small enough to commit."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if focus is None:
        await page.screenshot(path=str(path), full_page=True)
        return path
    await page.locator(focus).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    await page.screenshot(path=str(path))
    return path
