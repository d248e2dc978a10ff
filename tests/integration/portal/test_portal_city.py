"""The city's screens on the real stack (issue 17 item 5), in Debian's chromium: a city
official sees the dashboard's figures move after a consultation is received through intake
and counted by indicators, sets a target (a wrong value first: the error next to the field),
loads survey results the service refuses then accepts, downloads the CSV through the portal
and prints the dashboard on A4 landscape. axe on every page."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Page, expect

from kasane.clock import today_jst
from kasane.fiscal_year import fiscal_year_of
from tests.integration.fixtures_data import consultation_body
from tests.integration.helpers import eventually
from tests.integration.portal.conftest import (
    PortalStack,
    StaffAccount,
    screenshot,
    serious_violations,
    sign_in_as,
)

Account = Callable[[str, str], Awaitable[StaffAccount]]
Token = Callable[..., str]

pytestmark = pytest.mark.integration
JST = ZoneInfo("Asia/Tokyo")


async def _consultations(page: Page) -> str:
    row = page.locator("#operations tr", has=page.get_by_role("rowheader", name="相談受付件数"))
    return (await row.locator("td").inner_text()).strip()


async def _receive_consultation(stack: PortalStack, token: Token) -> None:
    received = (datetime.now(JST) - timedelta(minutes=5)).isoformat()
    async with httpx.AsyncClient(base_url=stack.services["intake"].base_url) as client:
        created = await client.post(
            "/consultations",
            json=consultation_body(fiscal_year_of(today_jst()), received_at=received),
            headers={"Authorization": f"Bearer {token('jiritsu', 'counselor')}"},
        )
    assert created.status_code == 201, created.text


async def _no_violations(page: Page) -> None:
    assert await serious_violations(page) == [], page.url


async def test_city_official_sees_figures_move_sets_a_target_loads_a_survey_and_prints(
    portal_stack: PortalStack, page: Page, staff_account: Account, token: Token
) -> None:
    fy = fiscal_year_of(today_jst())
    await sign_in_as(
        page, portal_stack, await staff_account("city-chiiki-fukushi", "city_official"), "/city"
    )
    menu = [t.strip() for t in await page.locator(".site-nav a").all_inner_texts()]
    assert "目標・評価指標" in menu
    assert not {"本人検索", "相談受付", "ケース一覧"} & set(menu)  # never a person-level screen
    assert re.fullmatch(r"令和\d+年\d+月\d+日", await page.locator("#as-of").inner_text())
    await _no_violations(page)
    before = int((await _consultations(page)).removesuffix("件").replace(",", ""))

    # A consultation received at 生活自立支援センター: counted by indicators from intake's
    # event, so the figures on the city's page move (the page is reloaded as staff would).
    await _receive_consultation(portal_stack, token)

    async def reloaded() -> str:
        await page.reload()
        return await _consultations(page)

    await eventually(reloaded, lambda shown: shown == f"{before + 1:,}件", timeout_s=60)
    new = page.locator("#indicator-jiritsu_new_consultations")
    assert (await new.locator(".actual").inner_text()).strip() != "—"
    await screenshot(page, "city-dashboard")

    # The CSV through the portal, with the official's own token (the browser's session).
    csv = await page.request.get(f"{portal_stack.url}/city/exports/indicators.csv?fiscal_year={fy}")
    assert csv.status == 200
    assert "生活自立支援センター" in (await csv.body()).decode("utf-8-sig")

    # 目標値: a wrong value is refused next to its field; then the target is set.
    await page.get_by_role("link", name="目標値を設定する").click()
    await _no_violations(page)
    await page.get_by_label("生活自立支援センターの新規相談受付件数").check()
    await page.fill("#target", "たくさん")
    await page.click("#save-target")
    await expect(page.locator("#target")).to_have_attribute("aria-invalid", "true")
    assert await page.locator("#target-error").inner_text() == "目標値は数字で入力してください"
    assert (
        await page.locator(".error-summary a").first.inner_text()
        == "目標値は数字で入力してください"
    )
    await _no_violations(page)
    await page.fill("#target", "1100")
    await page.click("#save-target")
    await expect(page.locator("#saved")).to_be_visible()
    row = page.locator("#target-jiritsu_new_consultations")
    assert "1,100" in await row.inner_text()
    assert "この年度" in await row.inner_text()
    await page.get_by_role("link", name="目標・評価指標へ戻る").click()
    assert (await new.locator(".target").inner_text()).strip() == "1,100"
    assert (await new.locator(".progress").inner_text()).strip().endswith("%")

    # 市民意識調査: the service refuses more 「はい」 than respondents, next to that field.
    await page.goto(f"{portal_stack.url}/city/surveys?fiscal_year={fy}")
    await _no_violations(page)
    await page.fill("#mutual_support__respondents", "100")
    await page.fill("#mutual_support__yes", "120")
    await page.click("#load-survey")
    await expect(page.locator("#mutual_support__yes")).to_have_attribute("aria-invalid", "true")
    assert (
        "回答者数（100）を超えています"
        in await page.locator("#mutual_support__yes-error").inner_text()
    )
    assert await page.locator("#mutual_support__respondents").input_value() == "100"
    await _no_violations(page)
    await page.fill("#mutual_support__yes", "70")
    await page.click("#load-survey")
    await expect(page.locator("#saved")).to_be_visible()
    assert "70.0%" in await page.locator("#surveys").inner_text()

    # Printed: menu and controls hidden, on A4 landscape (the PDF's page is wider than tall).
    await page.goto(f"{portal_stack.url}/city?fiscal_year={fy}")
    await page.emulate_media(media="print")
    assert not await page.locator(".site-nav").is_visible()
    assert not await page.locator("form.filter").is_visible()
    assert await page.locator("#progress").is_visible()
    pdf = await page.pdf(prefer_css_page_size=True)
    width, height = _first_page_size(pdf)
    assert width > height and round(width / 72 * 25.4) == 297, (width, height)


def _first_page_size(pdf: bytes) -> tuple[float, float]:
    found = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert found is not None
    return float(found[1]), float(found[2])
