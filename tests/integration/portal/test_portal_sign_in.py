"""Signing in to the portal through the real Keycloak, the role-aware menu, token refresh and
sign-out, in Debian's chromium; every page checked with axe-core."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import asyncpg
import pytest
from playwright.async_api import Page

from kasane.db.urls import database_url
from tests.integration.portal.conftest import (
    PortalStack,
    StaffAccount,
    screenshot,
    serious_violations,
    sign_in,
    sign_in_as,
)

Account = Callable[[str, str], Awaitable[StaffAccount]]

pytestmark = pytest.mark.integration


async def menu_labels(page: Page) -> list[str]:
    return [t.strip() for t in await page.locator(".site-nav a").all_inner_texts()]


async def test_counselor_signs_in_and_sees_home_with_the_case_work_menu(
    portal_stack: PortalStack, page: Page
) -> None:
    await sign_in(page, portal_stack, "jiritsu-counselor")
    assert page.url == portal_stack.url + "/"
    assert await page.inner_text("h1") == "ホーム"
    assert "生活自立支援センター" in await page.inner_text("#whoami-agency")
    assert await page.inner_text("#whoami-role") == "相談員"
    assert await menu_labels(page) == [
        "ホーム",
        "本人検索",
        "相談受付",
        "ケース一覧",
        "つなぎ（紹介）の受付",  # the referrals addressed to the agency, as a list
    ]
    for panel in ("#queue", "#cases", "#referrals-waiting", "#overdue"):
        assert await page.locator(panel).count() == 1
    await screenshot(page, "home")
    assert await serious_violations(page) == []


async def test_city_official_never_sees_a_person_level_screen(
    portal_stack: PortalStack, page: Page
) -> None:
    await sign_in(page, portal_stack, "city-official")
    labels = await menu_labels(page)
    # 地域福祉課 runs some 地域づくり programs itself (直営): it reports their activity.
    assert labels == ["ホーム", "地域づくり活動実績", "目標・評価指標"]
    assert not {"本人検索", "相談受付", "ケース一覧"} & set(labels)
    assert await page.locator("#cases").count() == 0
    assert "個人の記録は扱いません" in await page.inner_text("main")


async def test_auditor_sees_the_access_log_screen_only(
    portal_stack: PortalStack, page: Page, staff_account: Account
) -> None:
    # The realm's demo auditor must set up OTP first (Keycloak's own flow); an auditor of
    # this run without that required action shows the portal's part.
    await sign_in_as(page, portal_stack, await staff_account("city-chiiki-fukushi", "auditor"))
    assert await menu_labels(page) == ["ホーム", "開示請求（アクセス記録）"]


async def test_an_expired_access_token_is_refreshed_at_keycloak_without_signing_in_again(
    portal_stack: PortalStack, page: Page, staff_account: Account
) -> None:
    await sign_in_as(page, portal_stack, await staff_account("houkatsu-01", "counselor"))
    dsn = database_url(
        portal_stack.settings.database_url, f"portal{portal_stack.settings.database_suffix}"
    )
    conn = await asyncpg.connect(dsn)
    try:
        before = await conn.fetch("SELECT id_hash, sealed FROM portal_session_tokens")
        # Sealed: the row holds no token in the clear.
        assert all(b"eyJ" not in bytes(r["sealed"]) for r in before)
        await conn.execute(
            "UPDATE portal_session_tokens SET access_expires_at = now() - interval '1 minute'"
        )
        await page.goto(portal_stack.url + "/")
        assert await page.inner_text("h1") == "ホーム"  # still signed in
        after = {
            r["id_hash"]: r
            for r in await conn.fetch(
                "SELECT id_hash, sealed, access_expires_at FROM portal_session_tokens"
            )
        }
        # Only this browser's session was used, so only its row was refreshed.
        refreshed = [r["id_hash"] for r in before if after[r["id_hash"]]["sealed"] != r["sealed"]]
        assert len(refreshed) == 1, "the expired token was not replaced"
        assert after[refreshed[0]]["access_expires_at"] > datetime.now(UTC)
    finally:
        await conn.close()


async def test_sign_out_ends_the_session_and_the_next_visit_asks_for_a_password(
    portal_stack: PortalStack, page: Page, staff_account: Account
) -> None:
    await sign_in_as(page, portal_stack, await staff_account("kodomo", "counselor"))
    await page.click("#sign-out")
    # Keycloak ends its session and sends the browser back to the portal's home, which (no
    # session any more) sends it to sign in: Keycloak's form, asking for the password again.
    await page.wait_for_selector("#kc-login")
    assert page.url.startswith(portal_stack.keycloak.issuer)
    await page.goto(portal_stack.url + "/")
    await page.wait_for_selector("#kc-login")
    assert page.url.startswith(portal_stack.keycloak.issuer)


async def test_a_form_post_without_the_csrf_token_is_refused(
    portal_stack: PortalStack, page: Page, staff_account: Account
) -> None:
    await sign_in_as(page, portal_stack, await staff_account("jiritsu", "counselor"))
    answer = await page.request.post(portal_stack.url + "/auth/logout", form={"csrf_token": "x"})
    assert answer.status == 403
    await page.goto(portal_stack.url + "/")
    assert await page.inner_text("h1") == "ホーム"  # the session survived the forged post
