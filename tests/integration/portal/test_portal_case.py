"""The case screens as a 相談員 uses them, in Debian's chromium on the real stack: open a case
from home, the list, add a 支援経過記録 (a wrong date first), record and withdraw a consent,
print the 相談受付・申込票 (和暦, 校区 names), close the case; axe-core on every page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.integration.portal.conftest import (
    PortalStack,
    StaffAccount,
    screenshot,
    serious_violations,
    sign_in_as,
)

Account = Callable[[str, str], Awaitable[StaffAccount]]
Auth = Callable[..., dict[str, str]]

pytestmark = pytest.mark.integration

AGENCY = "houkatsu-02"


async def _created(http: httpx.AsyncClient, path: str, body: dict[str, Any], key: str) -> str:
    response = await http.post(path, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()[key])


async def an_8050_case(stack: PortalStack, headers: dict[str, str]) -> dict[str, str]:
    """Through intake's API, as the agency: mother 81 (carer) and son 52 (本人), one
    consultation received 2025-06-10 in 校区05."""
    async with httpx.AsyncClient(base_url=stack.services["intake"].base_url, headers=headers) as h:
        person = {"sex": "female", "address": "久留米市城南町", "school_district_code": "05"}
        mother = await _created(
            h,
            "/persons",
            {**person, "name": "久留米 花子", "kana": "くるめ はなこ", "birth_date": "1944-05-10"},
            "person_id",
        )
        son = await _created(
            h,
            "/persons",
            {
                **person,
                "sex": "male",
                "name": "久留米 一郎",
                "kana": "くるめ いちろう",
                "birth_date": "1973-01-20",
            },
            "person_id",
        )
        members = [
            {"person_id": son, "relationship": "self", "care_role": "cared_for"},
            {"person_id": mother, "relationship": "parent", "care_role": "carer"},
        ]
        household = await _created(h, "/households", {"members": members}, "household_id")
        consultation = {
            "received_at": "2025-06-10T10:00:00+09:00",
            "issue_codes": ["elderly_care", "hikikomori"],
            "age_band": "50-59",
            "school_district_code": "05",
            "channel": "in_person",
            "consulted_by": "self",
            "narrative": "息子が長年外出していない。",
            "household_id": household,
            "person_id": son,
        }
        case = await _created(h, "/consultations", consultation, "case_id")
    return {"case": case, "son": son, "mother": mother}


async def checked(page: Page, name: str | None = None) -> None:
    assert await serious_violations(page) == []
    if name:
        await screenshot(page, name)


async def test_counselor_works_a_case_from_home_to_closing(
    portal_stack: PortalStack, page: Page, staff_account: Account, auth: Auth
) -> None:
    ids = await an_8050_case(portal_stack, auth(AGENCY, "counselor"))
    case_id = ids["case"]
    await sign_in_as(page, portal_stack, await staff_account(AGENCY, "counselor"))

    # Home: the open case by its 本人's name (names=true), opened with a click.
    home_case = page.locator(f'#cases a[href="/cases/{case_id}"]')
    await expect(home_case).to_have_text("久留米 一郎")
    assert await page.locator("#next-meetings").count() == 1
    await checked(page)

    # ケース一覧 from the menu: names, 和暦, 校区 and issue labels, never codes.
    await page.click('.site-nav a:has-text("ケース一覧")')
    row = page.locator("#case-list tr", has=page.locator(f'a[href="/cases/{case_id}"]'))
    await expect(row).to_contain_text("久留米 一郎")
    await expect(row).to_contain_text("親 久留米 花子")
    await expect(row).to_contain_text("校区05")
    await expect(row).to_contain_text("高齢・介護")
    assert "elderly_care" not in await row.inner_text()
    await checked(page, "cases")

    await row.locator("a").click()
    await expect(page.locator("h1")).to_have_text("ケース：久留米 一郎")
    await expect(page.locator("#situations")).to_contain_text("8050")
    await expect(page.locator("#household")).to_contain_text("昭和48年1月20日")
    await expect(page.locator("#consultations")).to_contain_text("令和7年6月10日")
    await checked(page)

    # 支援経過記録: a date that does not exist is refused next to its field; what was typed
    # stays; corrected, it is recorded once and shown on the timeline.
    await page.fill("#record-occurred_on", "令和8年2月30日")
    await page.fill("#record-body", "自宅を訪問し、本人と面談した。")
    await page.select_option("#record-kind", "visit")
    await page.click("#add-record")
    date_field = page.locator("#record-occurred_on")
    await expect(date_field).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#record-occurred_on-error")).to_contain_text("存在しない日付")
    await expect(page.locator("#record-summary a")).to_have_attribute("href", "#record-occurred_on")
    await expect(page.locator("#record-body")).to_have_value("自宅を訪問し、本人と面談した。")
    await checked(page)
    await date_field.fill("R7.6.12")
    await page.fill("#record-occurred_time", "14:05")
    await date_field.press("Enter")  # the keyboard submits the form
    await expect(page.locator("#done")).to_have_text("支援経過を記録しました。")
    await expect(page.locator("#timeline")).to_contain_text("令和7年6月12日 14:05　訪問")
    await expect(page.locator("#timeline")).to_contain_text("自宅を訪問し、本人と面談した。")

    # 本人同意: the scope as checkboxes; recorded, then withdrawn.
    await page.check('input[name="agencies"][value="jiritsu"]')
    await page.check('input[name="meeting_types"][value="support_meeting"]')
    await page.click("#record-consent")
    await expect(page.locator("#done")).to_have_text("本人同意を記録しました。")
    consent_row = page.locator("#consent-list tbody tr").first
    await expect(consent_row).to_contain_text("生活自立支援センター")
    await expect(consent_row).to_contain_text("支援会議")
    await expect(consent_row).to_contain_text("有効")
    await checked(page, "case")
    await consent_row.get_by_role("button", name="撤回を記録").click()
    await expect(page.locator("#done")).to_have_text("本人同意の撤回を記録しました。")
    await expect(page.locator("#consent-list tbody tr").first).to_contain_text("撤回（令和")

    # The printed 申込票: intake's sheet with 和暦 dates and the 校区's name; the portal's
    # bar is not printed; the sheet's own A4 style is allowed by the page's policy.
    await page.click("#print-sheet")
    await expect(page.locator("h1")).to_have_text("相談受付・申込票／インテーク・アセスメント")
    await page.emulate_media(media="print")
    sheet = await page.inner_text("body")
    assert "令和7年6月10日" in sheet and "昭和48年1月20日" in sheet
    assert "校区05" in sheet and "2025-06-10" not in sheet
    assert "自宅を訪問し、本人と面談した。" in sheet
    await expect(page.locator(".sheet-tools")).to_be_hidden()
    align = await page.eval_on_selector("h1", "e => getComputedStyle(e).textAlign")
    assert align == "center"
    await checked(page, "sheet")
    await page.emulate_media(media="screen")
    await page.click('.sheet-tools a:has-text("ケースに戻る")')

    # 終結: the reason is required; then the case is closed and listed as closed.
    await page.click("#close-case")
    await expect(page.locator("#close-reason-error")).to_have_text("終結の理由を選んでください")
    await page.select_option("#close-reason", "resolved")
    await page.click("#close-case")
    await expect(page.locator("#done")).to_have_text("ケースを終結しました。")
    await expect(page.locator("#case-status")).to_have_text("終結")
    await checked(page)
    await page.goto(portal_stack.url + "/cases?tab=closed")
    await expect(page.locator(f'#case-list a[href="/cases/{case_id}"]')).to_have_text("久留米 一郎")
