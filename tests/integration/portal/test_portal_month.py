"""Issue 17's "Done": a month of 重層的支援 through the portal alone, on the real stack, each
person in a browser profile of their own: 社協 takes a 見守りネットワーク concern; the
地域包括支援センター that intake routes it to sees it on its home and takes an 8050 consultation,
handing the case to 多機関協働; 社協 puts the case on a 臨時 支援会議 (no consent: 法106条の6),
whose item shows the 世帯概要 and no names, and invites an agency for the case whose pack,
without a pledge, shows nothing of it; the person's consent is recorded on the case page; 社協
adds a 臨時 重層的支援会議, writes the plan for the escalated case, and the plan, placed on that
meeting once the consent reaches meetings, is approved there; 社協's outreach logs a visit;
アソウ accepts the つなぎ into 参加支援, its plan is approved at the same meeting and the person
is placed; the city official's dashboard counts the consultation. Error paths and axe on
every page are the per-screen tests' work. Each step leaves a screenshot (month-NN-*.png) that
the README's walkthrough shows."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from intake.domain.routing import responsible_agency
from kasane.clock import today_jst
from kasane.reference import get_school_district
from kasane.reference.agencies import get_agency
from kasane.wareki import format_date
from participation.domain.participants import participant_id_for
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
DISTRICT = "38"  # its 日常生活圏域 is no other portal test's 地域包括支援センター
INVITED = "kikan-02"  # invited to the 支援会議 for the case; no portal test pledges it
KANA = "アイウエオカキク"


@asynccontextmanager
async def person(
    browser: Browser, stack: PortalStack, account: StaffAccount, start: str = "/"
) -> AsyncIterator[Page]:
    """One member of staff: a browser profile of their own, signed in."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    try:
        page = await context.new_page()
        await sign_in_as(page, stack, account, start)
        yield page
    finally:
        await context.close()


async def _api(
    stack: PortalStack, service: str, method: str, path: str, bearer: str, **kw: Any
) -> httpx.Response:
    async with httpx.AsyncClient(base_url=stack.services[service].base_url) as client:
        headers = {"Authorization": f"Bearer {bearer}"}
        return await client.request(method, path, headers=headers, **kw)


async def _consultations_counted(page: Page) -> int:
    row = page.locator("#operations tr", has=page.get_by_role("rowheader", name="相談受付件数"))
    return int((await row.locator("td").inner_text()).strip().removesuffix("件").replace(",", ""))


async def _reloaded(page: Page, read: Callable[[], Awaitable[str]]) -> str:
    await page.reload()
    return await read()


async def test_a_month_concern_consultation_consent_plan_approved_and_the_city_counts_it(
    portal_stack: PortalStack, browser: Browser, staff_account: Account, token: Token
) -> None:
    today = today_jst()
    district_name = get_school_district(DISTRICT).name_ja
    houkatsu = responsible_agency(DISTRICT, ["8050"])
    kana = "".join(random.sample(KANA, 8))
    city = await staff_account("city-chiiki-fukushi", "city_official")
    async with person(browser, portal_stack, city, "/city") as official:
        before = await _consultations_counted(official)

    # 1. 社協 takes a 見守りネットワーク concern at the counter (community screen).
    shakyo = await staff_account("shakyo", "coordinator")
    async with person(browser, portal_stack, shakyo, "/community/concerns") as page:
        await page.select_option("#school_district_code", DISTRICT)
        await page.get_by_label("事業者（見守りネットワーク協力事業者）").check()
        await page.get_by_label("至急").check()
        await page.check("#issue_codes input[value='8050']")
        await page.fill("#noticed", "高齢の母と50代の息子。息子の姿を長く見ない")
        await page.fill("#location", "○○町の二階建ての家")
        await page.click("#report-concern")
        await expect(page.locator("#saved")).to_be_visible()
        assert "息子" not in page.url
        await screenshot(page, "month-01-concern", focus="h1")

    # 2. The 地域包括支援センター of that 校区 sees it on its home (codes only, no names) and
    #    takes the consultation: an 8050 household, handed to 多機関協働.
    counselor = await staff_account(houkatsu, "counselor")
    async with person(browser, portal_stack, counselor) as page:
        queue_row = page.locator("#queue tbody tr", has_text=district_name)
        await eventually(
            lambda: _reloaded(page, lambda: page.locator("#queue").inner_text()),
            lambda shown: district_name in shown,
            timeout_s=60,
        )
        await expect(queue_row.first).to_contain_text("至急")
        assert await serious_violations(page) == []
        await screenshot(page, "month-02-home", focus="h1")

        await page.click('.site-nav a:has-text("相談受付")')
        await page.fill("#f-p0_name", "月例 一郎")
        await page.fill("#f-p0_kana", f"げつれい {kana}")
        await page.fill("#f-p0_birth", "昭和49年7月1日")
        await page.fill("#f-m1_name", "月例 トメ")
        await page.fill("#f-m1_kana", f"ゲツレイ トメ{kana}")
        await page.fill("#f-m1_birth", "1946-02-03")
        await page.select_option("#f-m1_relationship", "parent")
        await page.click("#check")
        assert "8050" in await page.inner_text("#situations")
        now = datetime.now(JST) - timedelta(minutes=5)
        await page.fill("#f-received_date", now.date().isoformat())
        await page.fill("#f-received_time", now.strftime("%H:%M"))
        await page.select_option("#f-school_district_code", DISTRICT)
        await page.check("input[name=issue_codes][value='8050']")
        await page.check("input[name=issue_codes][value=hikikomori]")
        await page.select_option("#f-outcome", "to_multiagency")
        await page.click("#submit")
        await page.wait_for_url("**/cases/*")
        case_id = page.url.rsplit("/", 1)[1]
        await expect(page.locator("h1")).to_have_text("ケース：月例 一郎")
        await expect(page.locator("#situations")).to_contain_text("8050")
        await screenshot(page, "month-03-case", focus="h1")

        # 支援会議: 社協 puts the escalated case on a 臨時 支援会議 today, without consent.
        async with person(browser, portal_stack, shakyo, "/meetings") as coordinator:
            await _support_meeting(coordinator, portal_stack, case_id, district_name, houkatsu)

        # The case page lists the 支援会議 item (presented for the 地域包括支援センター).
        await page.reload()
        assert "支援会議" in await page.inner_text("#meetings")

        # 3. The person's consent to share with 社協 at the 重層的支援会議, on the case page.
        await page.check('input[name="agencies"][value="shakyo"]')
        await page.check(f'input[name="agencies"][value="{houkatsu}"]')
        await page.check('input[name="agencies"][value="aso"]')
        await page.check('input[name="programs"][value="participation"]')
        await page.check('input[name="meeting_types"][value="multilayer_meeting"]')
        await page.click("#record-consent")
        await expect(page.locator("#done")).to_have_text("本人同意を記録しました。")
        await expect(page.locator("#consent-list tbody tr").first).to_contain_text("有効")
        assert await serious_violations(page) == []
        await screenshot(page, "month-05-consent", focus="#consent-list")

        # つなぎ into 参加支援 (アソウ's program) on the person's consent just recorded.
        await page.goto(f"{portal_stack.url}/cases/{case_id}/referrals/new")
        await page.select_option("#target", "program:participation")
        await page.check('input[name="legal_basis"][value="consent"]')
        assert "の同意" in await page.inner_text("#consent_id")  # the one just recorded
        await page.click("#send-referral")
        await page.wait_for_url("**/referrals/*?done=sent")
        referral_id = page.url.split("/referrals/")[1].split("?")[0]

    # 4. 社協: a 臨時 重層的支援会議 today, the plan for the escalated case, approved there.
    async with person(browser, portal_stack, shakyo, "/meetings") as page:
        await page.check("#adhoc-type")  # 重層的支援会議
        await page.fill("#adhoc-date", format_date(today))
        await page.click("#add-adhoc")
        await page.wait_for_url("**/meetings/*?saved=adhoc")
        meeting_url = page.url.split("?")[0]

        await page.goto(f"{portal_stack.url}/meetings/escalations")
        link = page.locator(f'a[href$="case_id={case_id}"]')
        await eventually(
            lambda: _reloaded(page, link.count),
            lambda n: n == 1,
            timeout_s=60,
        )
        await link.click()
        await page.fill("#plan-household_wishes", "母の介護と息子の暮らしを両方支えたい")
        await page.check("input[name=issues][value=hikikomori]")
        await page.fill("#plan-long_term_goal", "親子が地域の中で孤立せずに暮らす")
        goals = "母の介護サービスの利用開始\n息子が居場所に月1回参加"
        await page.fill("#plan-short_term_goals", goals)
        await page.select_option("#plan-role_agency_0", houkatsu)
        await page.select_option("#plan-role_code_0", "elderly_care")
        await page.select_option("#plan-role_agency_1", "aso")
        await page.select_option("#plan-role_code_1", "participation")
        await page.check("#plan-lead_0")
        await page.fill("#plan-review_on", format_date(today + timedelta(days=90)))
        await page.click("#submit-plan")
        await page.wait_for_url("**/meetings/plans/*?saved=plan")
        assert "提出済み" in await page.inner_text("h1")
        await screenshot(page, "month-06-plan", focus="h1")

        # Placed on today's 臨時 meeting once intake's consent event has reached meetings.
        await page.goto(meeting_url)
        await eventually(
            lambda: _reloaded(page, lambda: page.inner_text("#queue-title")),
            lambda title: "1件" in title,
            timeout_s=60,
        )
        item = await page.locator(".agenda-item").first.inner_text()
        assert "プランの適切性の協議" in item and district_name in item
        assert "月例" not in item  # no names on the agenda
        await page.check("#d1-outcome")  # 承認
        await page.select_option("#d1-role_agency_0", houkatsu)
        await page.select_option("#d1-role_code_0", "elderly_care")
        await page.select_option("#d1-role_agency_1", "aso")
        await page.select_option("#d1-role_code_1", "participation")
        await page.check("#d1-lead_0")
        await page.fill("#d1-minutes", "役割分担を確認し承認")
        await page.click("#d1-decide")
        await page.wait_for_url("**/meetings/*?saved=decision")
        decision = await page.inner_text(".decision")
        assert "プラン承認" in decision and "（主担当）" in decision
        await screenshot(page, "month-07-meeting-approved", focus=".decision")

        # 5. アウトリーチ: the son is a target of 社協's outreach (registered through outreach's
        #    API: the portal has no registration screen); the first visit is logged on screen.
        created = await _api(
            portal_stack,
            "outreach",
            "POST",
            "/targets",
            token("shakyo", "coordinator"),
            json={"source": "agency", "description": "包括から（8050）", "case_id": case_id},
        )
        assert created.status_code == 201, created.text
        target_id = created.json()["target_id"]
        await page.goto(f"{portal_stack.url}/outreach/targets/{target_id}")
        await page.click("#new-contact")
        await page.check('input[name="method"][value="visit"]')
        await page.check('input[name="result"][value="absent"]')
        await page.fill("#attempted_on", format_date(today))
        await page.fill("#note", "インターホンに応答なし。手紙を投函")
        await page.click("#record-contact")
        await page.wait_for_url(f"**/outreach/targets/{target_id}?saved=contact")
        assert "不在" in await page.inner_text("#contacts")
        await screenshot(page, "month-08-outreach", focus="#contacts")

    # 6. アソウ accepts the つなぎ from its home; the person is enrolled in 参加支援, and its
    #    参加支援 plan goes to the same 臨時 meeting.
    aso = await staff_account("aso", "coordinator")
    resource = await _api(  # participation's resources have no registration screen
        portal_stack,
        "participation",
        "POST",
        "/resources",
        token("aso", "coordinator"),
        json={
            "organization": {"name": "NPO法人 つきみ"},
            "service": {"name": "居場所つきみ", "category": "ibasho"},
            "location": {"name": "つきみハウス", "school_district_code": DISTRICT},
            "eligibility": {"age_min": None, "age_max": None},
            "capacity": 5,
        },
    )
    assert resource.status_code == 201, resource.text
    pid = participant_id_for(UUID(referral_id))
    async with person(browser, portal_stack, aso) as page:
        await page.click(f"#referrals-waiting a[href='/referrals/{referral_id}']")
        await page.click("#accept")
        await page.wait_for_url(f"**/referrals/{referral_id}?done=accept")
        assert await page.inner_text("#referral-status") == "受理"
        await page.goto(f"{portal_stack.url}/participation")
        row = page.locator("#participants tr", has=page.locator(f'a[href$="{pid}"]'))
        await eventually(
            lambda: _reloaded(page, row.count),
            lambda n: n == 1,
            timeout_s=60,
        )
        assert get_agency(houkatsu).name_ja in await row.inner_text()
        await row.locator("a").click()
        await page.fill("#plan-wishes", "家族以外の人と少し話せるようになりたい")
        await page.check('input[name="steps"][value="ibasho"]')
        await page.fill("#plan-goals", "週1回、居場所に通う")
        await page.click("#submit-plan")
        await page.wait_for_url(f"**/participation/{pid}?saved=plan")

    # 7. 社協 approves the 参加支援 plan at the same meeting; アソウ places the person.
    meeting_path = meeting_url.removeprefix(portal_stack.url)
    async with person(browser, portal_stack, shakyo, meeting_path) as page:
        await eventually(
            lambda: _reloaded(page, lambda: page.locator("#d2-outcome").count()),
            lambda n: n == 1,
            timeout_s=60,
        )
        await page.check("#d2-outcome")  # 承認
        await page.fill("#d2-minutes", "参加支援プランを承認")
        await page.click("#d2-decide")
        await page.wait_for_url("**/meetings/*?saved=decision")
    async with person(browser, portal_stack, aso, f"/participation/{pid}") as page:
        await eventually(
            lambda: _reloaded(page, lambda: page.inner_text("#participant-status")),
            lambda status: status == "支援中",
            timeout_s=60,
        )
        match = page.locator("#matches tr", has_text="居場所つきみ")
        await match.locator('input[type="radio"]').check()
        await page.fill("#placement-started_on", format_date(today))
        await page.click("#start-placement")
        await page.wait_for_url(f"**/participation/{pid}?saved=placement")
        assert "居場所つきみ" in await page.inner_text("#placements")
        assert "受け入れ中" in await page.inner_text("#placements")
        await screenshot(page, "month-09-placement", focus="#placements")

    # 8. The city's figures move: the consultation is counted by indicators from intake's event.
    async with person(browser, portal_stack, city, "/city") as official:
        await eventually(
            lambda: _reloaded(official, lambda: _consultations_str(official)),
            lambda shown: int(shown) >= before + 1,
            timeout_s=90,
        )
        assert await serious_violations(official) == []
        await screenshot(official, "month-10-city", focus="h1")


async def _support_meeting(
    page: Page, stack: PortalStack, case_id: str, district_name: str, presenter: str
) -> None:
    """社協: a 臨時 支援会議 today; the case (from the escalations) on its agenda for the
    地域包括支援センター; the item shows 年代, 校区 and issue labels, never a name; an agency
    invited for the case without a pledge gets a pack showing nothing of it."""
    await page.check("#adhoc-type-support_meeting")
    await page.fill("#adhoc-date", format_date(today_jst()))
    await page.click("#add-adhoc")
    await page.wait_for_url("**/meetings/*?saved=adhoc")
    meeting_id = page.url.split("/meetings/")[1].split("?")[0]
    await page.click("#open-agenda-form")
    case_option = page.locator(f'#agenda-case_id option[value="{case_id}"]')
    await eventually(lambda: _reloaded(page, case_option.count), lambda n: n == 1, timeout_s=60)
    assert "つなぎ" in await case_option.inner_text()  # from 社協's escalations list
    await page.select_option("#agenda-case_id", case_id)
    await page.select_option("#agenda-kind", "information_sharing")
    await page.select_option("#agenda-presenting_agency_id", presenter)
    await page.fill("#agenda-summary", "母の介護と息子の閉じこもり。見守りの役割を確認したい")
    await page.click("#add-agenda")
    await page.wait_for_url(f"**/meetings/{meeting_id}?saved=agenda*")
    item = await eventually(
        lambda: _reloaded(page, lambda: page.locator(".agenda-item").first.inner_text()),
        lambda shown: district_name in shown,
        timeout_s=60,
    )
    assert "気になる事例の情報提供・情報共有" in item
    assert "支援会議（社会福祉法第106条の6）" in item and "ひきこもり" in item
    assert "月例" not in item  # no names on the agenda
    await page.select_option("#member-agency_id", INVITED)
    await page.select_option("#member-case_id", case_id)
    await page.click("#add-member")
    await page.wait_for_url(f"**/meetings/{meeting_id}?saved=member*")
    invited = page.locator("#members tr", has_text=get_agency(INVITED).name_ja)
    assert "未提出" in await invited.inner_text()  # no 守秘義務 pledge this year
    assert await serious_violations(page) == []
    await screenshot(page, "month-04-support-meeting", focus=".agenda-item")
    await page.goto(f"{stack.url}/meetings/{meeting_id}/pack?for_agency={INVITED}")
    pack = await page.inner_text("body")
    assert "守秘義務の誓約が記録されていません" in pack
    assert district_name not in pack and "月例" not in pack and "閉じこもり" not in pack


async def _consultations_str(page: Page) -> str:
    return str(await _consultations_counted(page))
