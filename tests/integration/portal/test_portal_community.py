"""社協 地域づくり screens on the real stack (issue 17 item 4), in Debian's chromium: a 社協
coordinator enters a ふれあいの会 watch-visit cell, corrects it (the history keeps both
figures), records a 見守りネットワーク concern (a missing field refused next to it first) and
a 支え合い推進会議; reports a program's monthly activity and edits the social-resource
directory. axe on every page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Page, expect

from kasane.clock import today_jst
from kasane.fiscal_year import fiscal_year_of
from kasane.reference import get_school_district
from tests.integration.portal.conftest import (
    PortalStack,
    StaffAccount,
    screenshot,
    serious_violations,
    sign_in_as,
)

Account = Callable[[str, str], Awaitable[StaffAccount]]

pytestmark = pytest.mark.integration


async def _no_violations(page: Page) -> None:
    assert await serious_violations(page) == [], page.url


async def test_shakyo_coordinator_enters_and_corrects_a_watch_visit_cell_and_records_a_concern(
    portal_stack: PortalStack, page: Page, staff_account: Account
) -> None:
    today = today_jst()
    month = f"{today.year}-{today.month:02d}"
    district = "08"
    name = get_school_district(district).name_ja
    await sign_in_as(
        page, portal_stack, await staff_account("shakyo", "coordinator"), "/community/watch-visits"
    )
    menu = [t.strip() for t in await page.locator(".site-nav a").all_inner_texts()]
    assert {"見守り訪問件数", "見守り通報の受付"} <= set(menu)
    assert "目標・評価指標" not in menu
    await _no_violations(page)
    row = page.locator(f"#district-{district}")
    assert name in await row.locator("th").inner_text()

    # The cell of this month: entered, then corrected; the history keeps both figures.
    await row.locator(f'td[data-month="{month}"] a').click()
    await _no_violations(page)
    await page.fill("#visits", "たくさん")
    await page.click("#save-visits")
    await expect(page.locator("#visits")).to_have_attribute("aria-invalid", "true")
    assert "整数" in await page.locator("#visits-error").inner_text()
    await page.fill("#visits", "120")
    await page.click("#save-visits")
    await expect(page.locator("#saved")).to_be_visible()
    assert "120件" in await page.locator("#current").inner_text()
    await page.fill("#visits", "135")
    await page.click("#save-visits")
    await expect(page.locator("#current")).to_contain_text("135件")
    history = [
        [c.strip() for c in r.split("\t")]
        for r in await page.locator("#history tbody tr").all_inner_texts()
    ]
    assert [(h[0], h[1]) for h in history] == [("第2版（現在）", "135"), ("第1版", "120")]
    await _no_violations(page)
    await page.get_by_role("link", name="見守り訪問件数の一覧へ戻る").click()
    cell = row.locator(f'td[data-month="{month}"]')
    assert (await cell.inner_text()).strip() == "135"
    fy = fiscal_year_of(today)
    assert f"fiscal_year={fy}" in page.url
    await screenshot(page, "watch-visits")

    # 見守りネットワーク: 場所 forgotten → refused next to it, the rest kept; then recorded.
    await page.get_by_role("link", name="見守り通報の受付").click()
    await _no_violations(page)
    await page.select_option("#school_district_code", district)
    await page.get_by_label("事業者（見守りネットワーク協力事業者）").check()
    await page.get_by_label("至急").check()
    await page.fill("#noticed", "新聞が3日分たまっている")
    await page.click("#report-concern")
    await expect(page.locator("#location")).to_have_attribute("aria-invalid", "true")
    assert await page.locator("#location-error").inner_text() == "場所を入力してください"
    assert await page.locator("#noticed").input_value() == "新聞が3日分たまっている"
    await _no_violations(page)
    await page.fill("#location", "○○町3丁目の角の家")
    await page.click("#report-concern")
    await expect(page.locator("#saved")).to_be_visible()
    assert "concerns" in page.url and "新聞" not in page.url
    recent = await page.locator("#recent-concerns tbody tr").first.inner_text()
    assert name in recent and "至急" in recent
    await _no_violations(page)

    # 支え合い推進会議: recorded for today, listed with the 校区 name and topic labels.
    await page.get_by_role("link", name="支え合い推進会議").click()
    await _no_violations(page)
    await page.select_option("#school_district_code", district)
    await page.fill("#held_on", "今日")
    await page.fill("#participants", "18")
    await page.get_by_label("居場所・サロン").check()
    await page.click("#record-council")
    await expect(page.locator("#held_on")).to_have_attribute("aria-invalid", "true")
    await page.fill("#held_on", today.isoformat())
    await page.click("#record-council")
    await expect(page.locator("#saved")).to_be_visible()
    listed = await page.locator("#councils tbody").inner_text()
    assert name in listed and "居場所・サロン" in listed
    await _no_violations(page)


async def test_shakyo_coordinator_reports_program_activity_and_edits_the_directory(
    portal_stack: PortalStack, page: Page, staff_account: Account
) -> None:
    today = today_jst()
    month = f"{today.year}-{today.month:02d}"
    await sign_in_as(
        page, portal_stack, await staff_account("shakyo", "coordinator"), "/community/activity"
    )
    await _no_violations(page)
    # A program reported per 講座: the 講座 is required, then the report is listed.
    await page.get_by_role("link", name="地域介護予防活動支援事業").click()
    await _no_violations(page)
    await page.select_option("#month", month)
    await page.fill("#sessions", "2")
    await page.fill("#participants", "31")
    await page.click("#report-activity")
    await expect(page.locator("#component_code")).to_have_attribute("aria-invalid", "true")
    await page.select_option("#component_code", "doremi_course")
    await page.click("#report-activity")
    await expect(page.locator("#saved")).to_be_visible()
    reports = await page.locator("#activity-reports tbody").inner_text()
    assert "ドレミ" in reports and "31" in reports
    await _no_violations(page)

    # The directory: a new サロン, then its 定員 corrected (a new version of the entry).
    await page.get_by_role("link", name="社会資源の台帳").click()
    await page.click("#new-resource")
    await _no_violations(page)
    await page.fill("#service_name", "ふれあいいきいきサロン（テスト）")
    await page.fill("#org_name", "校区社会福祉協議会")
    await page.select_option("#category", "salon")
    await page.select_option("#school_district_code", "05")
    await page.fill("#capacity", "たくさん")
    await page.click("#save-resource")
    await expect(page.locator("#capacity")).to_have_attribute("aria-invalid", "true")
    await _no_violations(page)
    await page.fill("#capacity", "30")
    await page.click("#save-resource")
    await expect(page.locator("#saved")).to_be_visible()
    await _no_violations(page)
    await page.get_by_role("link", name="ふれあいいきいきサロン（テスト）").first.click()
    assert await page.locator("#capacity").input_value() == "30"
    await page.fill("#capacity", "25")
    await page.click("#save-resource")
    await expect(page.locator("#saved")).to_be_visible()
    row = page.locator("#resources tr", has=page.get_by_text("ふれあいいきいきサロン（テスト）"))
    assert "25" in await row.first.inner_text()
