"""つなぎ across agencies and the 開示請求, driven in chromium on the real stack.

Counselor A (生活自立支援センター) has an 8050 case with the person's consent to share with
地域包括支援センター（第1）; A refers the case there in the portal; counselor B of that centre
signs in, finds the request on the home page, accepts it, and is then let into the case. An
auditor then reads the person's access log, which shows those reads. axe on every page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

import asyncpg
import httpx
import pytest
from playwright.async_api import Browser, Page

from kasane.db.urls import database_url
from tests.integration.portal.conftest import (
    PortalStack,
    StaffAccount,
    screenshot,
    serious_violations,
    sign_in_as,
)

pytestmark = pytest.mark.integration

Account = Callable[[str, str], Awaitable[StaffAccount]]
Token = Callable[..., str]
A, B = "jiritsu", "houkatsu-01"


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


async def _eventually(check: Callable[[], Awaitable[bool]], seconds: float = 60) -> None:
    for _ in range(int(seconds * 4)):
        if await check():
            return
        await asyncio.sleep(0.25)
    raise AssertionError("not reached in time")


async def case_with_consent(stack: PortalStack, token: Token) -> dict[str, str]:
    """A's 8050 case (through intake's API, as A's agency) and consent to share with B; waits
    until referral has learned both from intake's events."""
    headers = {"Authorization": f"Bearer {token(A, 'counselor')}"}
    intake = stack.services["intake"].base_url
    async with httpx.AsyncClient(base_url=intake, headers=headers, timeout=30) as client:
        person = {"sex": "male", "address": "久留米市城南町一丁目", "school_district_code": "05"}
        son = await _post(
            client,
            "/persons",
            {**person, "name": "筑後 一郎", "kana": "チクゴ イチロウ", "birth_date": "1973-01-20"},
        )
        mother = await _post(
            client,
            "/persons",
            {
                **person,
                "name": "筑後 花子",
                "kana": "チクゴ ハナコ",
                "birth_date": "1944-05-10",
                "sex": "female",
            },
        )
        household = await _post(
            client,
            "/households",
            {
                "members": [
                    {"person_id": son["person_id"], "relationship": "self"},
                    {"person_id": mother["person_id"], "relationship": "parent"},
                ]
            },
        )
        opened = await _post(
            client,
            "/consultations",
            {
                "received_at": "2026-11-30T10:00:00+09:00",
                "issue_codes": ["hikikomori", "poverty"],
                "age_band": "50-59",
                "school_district_code": "05",
                "channel": "in_person",
                "consulted_by": "family",
                "narrative": "母の年金で暮らしている。",
                "household_id": household["household_id"],
                "person_id": son["person_id"],
            },
        )
        case_id = opened["case_id"]
        await _post(
            client,
            f"/cases/{case_id}/consents",
            {
                "person_id": son["person_id"],
                "scope": {"agencies": [B], "programs": [], "meeting_types": []},
                "method": "written",
                "consented_on": date.today().isoformat(),
                "expires_on": None,
            },
        )
    dsn = database_url(stack.settings.database_url, f"referral{stack.settings.database_suffix}")
    conn = await asyncpg.connect(dsn)
    try:

        async def learned() -> bool:
            found = await conn.fetchval(
                "SELECT count(*) FROM consents WHERE case_id = $1", opened["case_id"]
            )
            return bool(found)

        await _eventually(learned)
    finally:
        await conn.close()
    return {"case": case_id, "son": son["person_id"]}


@pytest.fixture(scope="module")
async def referred_case(portal_stack: PortalStack, token: Token) -> dict[str, str]:
    return await case_with_consent(portal_stack, token)


async def test_a_referral_goes_from_one_agency_to_another_and_is_accepted(
    portal_stack: PortalStack,
    browser: Browser,
    page: Page,
    staff_account: Account,
    token: Token,
    referred_case: dict[str, str],
) -> None:
    case_id = referred_case["case"]
    # A: the form, sent once without a target (the error is next to the field, nothing lost).
    await sign_in_as(page, portal_stack, await staff_account(A, "counselor"))
    await page.goto(f"{portal_stack.url}/cases/{case_id}/referrals/new")
    assert await page.inner_text("h1") == "つなぎ（紹介）の依頼"
    assert await page.is_checked("input[name=reason_codes][value=hikikomori]")  # from intake
    assert await page.locator("label", has_text="ひきこもり").count() >= 1
    assert await serious_violations(page) == []
    await page.fill("#note", "本人は午前中なら電話に出られます。")
    await page.click("#send-referral")
    assert await page.get_attribute("#target", "aria-invalid") == "true"
    assert "つなぎ先を選んでください" in await page.inner_text("#target-error")
    assert "つなぎ先" in await page.inner_text("#error-summary")
    assert await page.input_value("#note") == "本人は午前中なら電話に出られます。"
    assert await serious_violations(page) == []

    await page.select_option("#target", f"agency:{B}")
    # Everything the browser will send, to send it once more below.
    sent_form = [
        (name, await page.input_value(f"[name={name}]"))
        for name in ("csrf_token", "idempotency_key", "target", "consent_id", "note")
    ]
    sent_form += [("legal_basis", "consent")]
    for code in ("hikikomori", "poverty"):  # the ones preselected from the consultation
        assert await page.is_checked(f"input[name=reason_codes][value={code}]")
        sent_form.append(("reason_codes", code))
    await page.click("#send-referral")
    assert "/referrals/" in page.url
    referral_id = page.url.split("/referrals/")[1].split("?")[0]
    # The same form sent again (a double click, a resend) is the same referral, not a second.
    again = await page.request.post(
        f"{portal_stack.url}/cases/{case_id}/referrals",
        data=urlencode(sent_form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )
    assert again.status == 303
    assert again.headers["location"] == f"/referrals/{referral_id}?done=sent"
    assert await page.inner_text("#referral-status") == "依頼中"
    assert "つなぎを依頼しました" in await page.inner_text("#done")
    assert await page.inner_text("#to-agency") == "地域包括支援センター（第1）"
    assert (await page.inner_text("#due-on")).startswith("令和")
    assert await page.locator("#revoke").count() == 1  # the sender may revoke
    assert await page.locator("#accept").count() == 0  # but not answer
    assert await serious_violations(page) == []
    await screenshot(page, "referral")

    # B: home lists the request; B opens it and accepts.
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    try:
        other = await context.new_page()
        await sign_in_as(other, portal_stack, await staff_account(B, "counselor"))
        waiting = other.locator(f"#referrals-waiting a[href='/referrals/{referral_id}']")
        assert await waiting.inner_text() == "生活自立支援センターから"
        await waiting.click()
        await other.wait_for_url(f"**/referrals/{referral_id}")
        assert "本人は午前中なら電話に出られます。" in await other.inner_text("main")
        assert await serious_violations(other) == []
        await other.click("#accept")
        await other.wait_for_url(f"**/referrals/{referral_id}?done=accept")
        assert await other.inner_text("#referral-status") == "受理"
        assert await other.locator("#accept").count() == 0
        assert await serious_violations(other) == []
    finally:
        await context.close()

    # Accepting lets B into the case (intake learns the grant from referral's event).
    shared = {"Authorization": f"Bearer {token(B, 'counselor')}"}
    intake = portal_stack.services["intake"].base_url
    async with httpx.AsyncClient(base_url=intake, headers=shared, timeout=30) as client:

        async def b_sees_the_case() -> bool:
            listed = await client.get("/cases", params={"agency": "shared", "names": "true"})
            return case_id in {i["case_id"] for i in listed.json()["items"]}

        await _eventually(b_sees_the_case)
        assert (await client.get(f"/cases/{case_id}")).status_code == 200


async def _refer_by_api(stack: PortalStack, token: Token, case_id: str) -> str:
    async with httpx.AsyncClient(base_url=stack.services["referral"].base_url) as client:
        sent = await client.post(
            "/referrals",
            json={"case_id": case_id, "to_agency": B, "reason_codes": ["poverty"]},
            headers={"Authorization": f"Bearer {token(A, 'counselor')}"},
        )
    assert sent.status_code == 201, sent.text
    return str(sent.json()["referral_id"])


async def test_the_receiver_declines_with_a_reason_and_the_sender_revokes(
    portal_stack: PortalStack,
    browser: Browser,
    page: Page,
    staff_account: Account,
    token: Token,
    referred_case: dict[str, str],
) -> None:
    declined = await _refer_by_api(portal_stack, token, referred_case["case"])
    revoked = await _refer_by_api(portal_stack, token, referred_case["case"])
    await sign_in_as(
        page, portal_stack, await staff_account(B, "counselor"), start=f"/referrals/{declined}"
    )
    await page.click("#decline")  # no reason chosen: refused next to the field
    assert await page.get_attribute("#reason_code", "aria-invalid") == "true"
    assert "辞退の理由を選んでください" in await page.inner_text("#reason_code-error")
    assert await page.inner_text("#referral-status") == "依頼中"
    assert await serious_violations(page) == []
    await page.select_option("#reason_code", "out_of_scope")
    await page.click("#decline")
    await page.wait_for_url(f"**/referrals/{declined}?done=decline")
    assert await page.inner_text("#referral-status") == "辞退"
    assert "対象外" in await page.inner_text("main")

    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    try:
        sender = await context.new_page()
        account = await staff_account(A, "counselor")
        await sign_in_as(sender, portal_stack, account, start=f"/referrals/{revoked}")
        await sender.focus("#revoke")  # by keyboard: a real button
        await sender.keyboard.press("Enter")
        await sender.wait_for_url(f"**/referrals/{revoked}?done=revoke")
        assert await sender.inner_text("#referral-status") == "取消"
        assert "依頼元による取消" in await sender.inner_text("main")
        assert await sender.locator("#revoke").count() == 0
        assert await serious_violations(sender) == []
    finally:
        await context.close()


async def test_a_referral_another_agency_cannot_see_is_the_not_found_page(
    portal_stack: PortalStack, page: Page, staff_account: Account
) -> None:
    await sign_in_as(page, portal_stack, await staff_account("kodomo", "counselor"))
    response = await page.goto(f"{portal_stack.url}/referrals/1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    assert response is not None and response.status == 404
    assert await page.inner_text("h1") == "見つかりません"


async def test_auditor_reads_and_prints_a_persons_access_log(
    portal_stack: PortalStack,
    page: Page,
    staff_account: Account,
    referred_case: dict[str, str],
) -> None:
    await sign_in_as(page, portal_stack, await staff_account("city-chiiki-fukushi", "auditor"))
    await page.click("text=開示請求（アクセス記録）")
    await page.wait_for_url("**/access-log")
    assert await serious_violations(page) == []
    await page.fill("#person_id", "山田太郎")
    await page.click("#show-log")
    assert await page.get_attribute("#person_id", "aria-invalid") == "true"
    await page.fill("#person_id", referred_case["son"])
    await page.click("#show-log")
    # The id was POSTed: it is not in the address.
    assert referred_case["son"] not in page.url
    table = await page.inner_text("#access-log-table")
    assert "生活自立支援センター" in table and "jiritsu" not in table
    assert "令和" in table
    assert await serious_violations(page) == []
    await screenshot(page, "access-log")
    await page.emulate_media(media="print")
    assert not await page.locator(".site-nav").is_visible()
    assert not await page.locator("#show-log").is_visible()
    assert await page.locator("#access-log-table").is_visible()


async def test_a_counselor_gets_the_403_page_for_the_access_log(
    portal_stack: PortalStack, page: Page, staff_account: Account
) -> None:
    await sign_in_as(page, portal_stack, await staff_account(A, "counselor"), start="/access-log")
    assert await page.inner_text("h1") == "権限がありません"
    response = await page.goto(f"{portal_stack.url}/access-log")
    assert response is not None and response.status == 403
