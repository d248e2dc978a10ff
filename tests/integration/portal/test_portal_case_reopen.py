"""ケース再開 on the case page, in Debian's chromium on the real stack: a closed case offers
再開 to its lead agency (reason required, the date checked by intake, errors in Japanese next
to the field), then the case is open again and its timeline shows the 終結 and the 再開."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.integration.portal.conftest import PortalStack, StaffAccount, sign_in_as
from tests.integration.portal.test_portal_case import AGENCY, an_8050_case, checked

Account = Callable[[str, str], Awaitable[StaffAccount]]
Auth = Callable[..., dict[str, str]]

pytestmark = pytest.mark.integration


async def test_counselor_reopens_a_closed_case(
    portal_stack: PortalStack, page: Page, staff_account: Account, auth: Auth
) -> None:
    headers = auth(AGENCY, "counselor")
    case_id = (await an_8050_case(portal_stack, headers))["case"]
    intake = portal_stack.services["intake"].base_url
    async with httpx.AsyncClient(base_url=intake, headers=headers) as h:
        closed = await h.post(
            f"/cases/{case_id}/close", json={"reason": "resolved", "closed_on": "2025-08-01"}
        )
        assert closed.status_code == 200, closed.text
    await sign_in_as(page, portal_stack, await staff_account(AGENCY, "counselor"))
    await page.goto(f"{portal_stack.url}/cases/{case_id}")
    await expect(page.locator("#case-status")).to_have_text("終結")

    # The reason is required (checked by the portal) ...
    await page.click("#reopen-case")
    await expect(page.locator("#reopen-reason-error")).to_have_text("再開の理由を選んでください")
    # ... and a date before the closure is intake's refusal, shown next to the date.
    await page.select_option("#reopen-reason", "same_issue_returned")
    await page.fill("#reopen-reopened_on", "R7.7.1")
    await page.click("#reopen-case")
    await expect(page.locator("#reopen-reopened_on-error")).to_have_text("再開日が終結日より前です")
    await checked(page)
    await page.fill("#reopen-reopened_on", "R7.9.1")
    await page.fill("#reopen-note", "本人から再び電話があった")
    await page.click("#reopen-case")
    await expect(page.locator("#done")).to_have_text("ケースを再開しました。")
    await expect(page.locator("#case-status")).to_have_text("対応中")
    # The timeline: newest first, the 再開 (with its note) above the 終結 it ended.
    statuses = page.locator("#timeline li.timeline-status")
    await expect(statuses).to_have_count(2)
    await expect(statuses.nth(0)).to_contain_text("令和7年9月1日　再開（同じ世帯状況での再相談）")
    await expect(statuses.nth(0)).to_contain_text("本人から再び電話があった")
    await expect(statuses.nth(1)).to_contain_text("令和7年8月1日　終結（課題解決）")
    # Open again: the close form is back.
    await expect(page.locator("#close-case")).to_be_visible()
    await checked(page)
