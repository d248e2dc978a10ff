"""A 連携機関's staff in the portal, in chromium on the real stack (docs/architecture/partners.md).

A counselor of 生活自立支援センター refers a case, with the person's consent naming ハローワーク
久留米, to that partner; a partner account of the run signs in through Keycloak, finds the
request on its home, opens it (no way into the case page) and accepts it. The partner's menu
holds its home and the つなぎ list only; a case-work screen is its 403 page. axe on each page.
The steps leave the README's partner screenshots (partner-01…05), each taken once what it
shows has been asserted. ハローワーク (may hold case access) follows 「ケースの概要を見る」 to
the case summary intake gives it; 民生委員 (may not) gets no link and, on the summary's
address, intake's refusal in its own words.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import asyncpg
import httpx
import pytest
from playwright.async_api import Page

from kasane.db.urls import database_url
from kasane.reference.partners import get_partner
from portal.domain.labels import district_name
from tests.integration.auth.keycloak_admin import REALM, KeycloakAdmin
from tests.integration.portal.conftest import (
    PortalStack,
    StaffAccount,
    screenshot,
    serious_violations,
    sign_in_as,
)
from tests.integration.portal.test_portal_referrals import A, _eventually, case_with_consent

pytestmark = pytest.mark.integration

Account = Callable[[str, str], Awaitable[StaffAccount]]
Token = Callable[..., str]
PARTNER = "hellowork-kurume"
MINSEI = "minsei-kyogikai"  # a partner whose organisation may not hold case access


async def _partner_in_realm(stack: PortalStack, partner: str = PARTNER) -> None:
    """The realm file has the ``partner`` role and the partner's group; a shared Keycloak
    imported before them has neither. Both are created if missing (409: already there)."""
    async with httpx.AsyncClient(timeout=30) as http:
        admin = KeycloakAdmin(stack.keycloak, http)
        await admin.call(
            "POST",
            f"/{REALM}/roles",
            {"name": "partner", "description": "連携機関の担当者 / partner organisation staff"},
        )
        await admin.create_group(partner, partner)


async def _case_referred_to_the_partner(
    stack: PortalStack, token: Token, partners: tuple[str, ...] = (PARTNER,)
) -> dict[str, str]:
    """A's case, a consent naming the partners (known to referral), a referral to each."""
    case = await case_with_consent(stack, token)
    headers = {"Authorization": f"Bearer {token(A, 'counselor')}"}
    intake = stack.services["intake"].base_url
    async with httpx.AsyncClient(base_url=intake, headers=headers, timeout=30) as client:
        consent = await client.post(
            f"/cases/{case['case']}/consents",
            json={
                "person_id": case["son"],
                "scope": {"agencies": list(partners)},
                "method": "written",
                "consented_on": date.today().isoformat(),
            },
        )
        assert consent.status_code == 201, consent.text
    dsn = database_url(stack.settings.database_url, f"referral{stack.settings.database_suffix}")
    conn = await asyncpg.connect(dsn)
    try:

        async def learned() -> bool:
            found = await conn.fetchval(
                "SELECT count(*) FROM consents WHERE case_id = $1", case["case"]
            )
            return int(found) == 2

        await _eventually(learned)
    finally:
        await conn.close()
    referral = stack.services["referral"].base_url
    referrals: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=referral, headers=headers, timeout=30) as client:
        for partner in partners:
            sent = await client.post(
                "/referrals",
                json={
                    "case_id": case["case"],
                    "to_agency": partner,
                    "reason_codes": ["poverty"],
                    "note": "求職の相談をお願いします。",
                },
            )
            assert sent.status_code == 201, sent.text
            referrals[partner] = str(sent.json()["referral_id"])
    return referrals


async def test_a_partner_signs_in_finds_the_referral_on_its_home_and_accepts_it(
    portal_stack: PortalStack, page: Page, staff_account: Account, token: Token
) -> None:
    referrals = await _case_referred_to_the_partner(portal_stack, token, (PARTNER, MINSEI))
    referral_id = referrals[PARTNER]
    await _partner_in_realm(portal_stack)
    await sign_in_as(page, portal_stack, await staff_account(PARTNER, "partner"))

    # Home: the request addressed to the partner, and a menu of home and つなぎ only.
    waiting = page.locator(f"#partner-waiting a[href='/referrals/{referral_id}']")
    assert await waiting.inner_text() == "生活自立支援センターから"
    menu = await page.locator("nav").inner_text()
    assert "つなぎ（紹介）の受付" in menu
    for screen in ("ケース一覧", "本人検索", "相談受付"):
        assert screen not in menu
    assert await serious_violations(page) == []
    await screenshot(page, "partner-01-home", focus="body")

    await waiting.click()
    await page.wait_for_url(f"**/referrals/{referral_id}")
    assert "求職の相談をお願いします。" in await page.inner_text("main")
    assert await page.inner_text("#to-agency") == get_partner(PARTNER).name_ja
    assert await page.locator("a[href^='/cases/']").count() == 0  # no way into the case
    assert await page.locator("#revoke").count() == 0  # a partner never revokes
    assert await page.locator("#accept").is_visible()
    # Live from the request (intake's rule), so it can decide whether to take the case.
    assert await page.inner_text("#case-summary") == "ケースの概要を見る"
    assert await serious_violations(page) == []
    await screenshot(page, "partner-02-request", focus="body")
    await page.click("#accept")
    await page.wait_for_url(f"**/referrals/{referral_id}?done=accept")
    assert await page.inner_text("#referral-status") == "受理"
    assert await page.inner_text("#done") == "受理しました。"
    assert await page.locator("#complete").count() == 1  # it reports the outcome later
    assert await serious_violations(page) == []
    await screenshot(page, "partner-03-accepted", focus="body")

    # The case summary intake gives the partner: who, where, why; no timeline, no forms.
    await page.click("#case-summary")
    await page.wait_for_url(f"**/referrals/{referral_id}/case")
    assert await page.inner_text("h1") == "ケースの概要"
    assert await page.inner_text("#lead-agency") == "生活自立支援センター"
    assert (await page.inner_text("#opened-on")).startswith("令和")
    assert await page.inner_text("#district") == district_name("05")  # its name, not the code
    assert "生活困窮" in await page.inner_text("#issues")
    persons = await page.inner_text("#case-persons")
    for shown in ("筑後 一郎", "本人", "筑後 花子", "親"):
        assert shown in persons
    main = await page.inner_text("main")
    assert "母の年金で暮らしている。" not in main  # the consultation's words stay in intake
    assert await page.locator("main form").count() == 0
    assert await page.locator("main a[href^='/cases/']").count() == 0
    assert await serious_violations(page) == []
    await screenshot(page, "partner-05-case", focus="body")

    # The つなぎ list shows it, accepted; the home moves it to 受理済み.
    await page.goto(f"{portal_stack.url}/referrals")
    row = page.locator("#received-referrals tr", has_text="生活自立支援センター")
    assert "受理" in await row.inner_text()
    # The state is set at the row's size (the title's larger state once leaked into cells).
    sizes = await row.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c.firstElementChild || c).fontSize)"
    )
    assert len(set(sizes)) == 1, sizes
    assert await serious_violations(page) == []
    await screenshot(page, "partner-04-list", focus="body")
    await page.goto(f"{portal_stack.url}/")
    accepted = page.locator(f"#partner-accepted a[href='/referrals/{referral_id}']")
    assert await accepted.count() == 1

    # A person-level screen is the partner's 403 page (its own menu), nothing read.
    refused = await page.goto(f"{portal_stack.url}/persons/search")
    assert refused is not None and refused.status == 403
    assert "個人の記録を扱う権限がありません。" in await page.inner_text("main")


async def test_a_partner_without_case_access_gets_no_link_and_intakes_refusal(
    portal_stack: PortalStack, page: Page, staff_account: Account, token: Token
) -> None:
    referral_id = (await _case_referred_to_the_partner(portal_stack, token, (MINSEI,)))[MINSEI]
    await _partner_in_realm(portal_stack, MINSEI)
    await sign_in_as(page, portal_stack, await staff_account(MINSEI, "partner"))
    await page.goto(f"{portal_stack.url}/referrals/{referral_id}")
    assert await page.locator("#accept").is_visible()  # its referral: it may answer it
    assert await page.locator("#case-summary").count() == 0  # but never reads the case
    refused = await page.goto(f"{portal_stack.url}/referrals/{referral_id}/case")
    assert refused is not None and refused.status == 403
    assert await page.inner_text("#refusal") == "この連携機関はケース記録を閲覧できません"
    assert await serious_violations(page) == []
