"""社協's 多機関協働 meeting screens on the real stack (issue 17 item 1), in Debian's
chromium: the year's calendar, a 臨時 重層的支援会議 added through the form (decisions are
minuted from the meeting day, so the meeting is today), a plan queued on it with the case's
summary, approved with roles (one 主担当), the meeting closed with attendance, the 議事録.
axe on every page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page

from kasane.clock import today_jst
from kasane.events.intake import CaseEscalated
from kasane.reference import get_school_district
from kasane.reference.issue_codes import issue_code_labels
from kasane.wareki import format_date
from tests.integration.helpers import eventually
from tests.integration.intake.intake_steps import household_case, record_consent
from tests.integration.meetings.support import plan_body
from tests.integration.portal.conftest import (
    PortalStack,
    StaffAccount,
    screenshot,
    serious_violations,
    sign_in_as,
)
from tests.integration.referral.referral_fixtures import publish

Account = Callable[[str, str], Awaitable[StaffAccount]]
Token = Callable[..., str]

pytestmark = pytest.mark.integration


@dataclass
class Intake:
    """What the intake steps need of a running intake: an HTTP client to it."""

    client: httpx.AsyncClient


async def _consented_case(
    intake: Intake, lead: dict[str, str], agencies: list[str]
) -> dict[str, str]:
    """An 8050 household's case led by ``lead``, the son's consent naming ``agencies`` for the
    重層的支援会議 (so a plan submitted for the case is queued on one)."""
    case = await household_case(intake, lead)  # type: ignore[arg-type]
    await record_consent(
        intake,  # type: ignore[arg-type]
        lead,
        case["case"],
        case["son"],
        agencies=agencies,
        meeting_types=["multilayer_meeting"],
    )
    return case


async def test_coordinator_approves_a_queued_plan_closes_the_meeting_and_opens_the_minutes(
    portal_stack: PortalStack, browser: Browser, staff_account: Account, token: Token
) -> None:
    shakyo = {"Authorization": f"Bearer {token('shakyo', 'coordinator')}"}
    lead = {"Authorization": f"Bearer {token('houkatsu-03', 'counselor')}"}
    meetings = httpx.AsyncClient(base_url=portal_stack.services["meetings"].base_url)
    intake = Intake(httpx.AsyncClient(base_url=portal_stack.services["intake"].base_url))
    today = today_jst()
    page = await browser.new_page(locale="ja-JP")
    try:
        await sign_in_as(
            page, portal_stack, await staff_account("shakyo", "coordinator"), "/meetings"
        )
        assert "会議（多機関協働）" in await page.locator(".site-nav a").all_inner_texts()
        calendar = await page.inner_text("#calendar")
        assert calendar.count("重層的支援会議") >= 12 and calendar.count("支援会議") >= 24
        assert "令和" in await page.inner_text("h1")
        assert "水）" in calendar  # 4th Wednesdays, in 和暦 with the weekday
        await screenshot(page, "meetings")
        assert await serious_violations(page) == []

        # 臨時: a typo first, refused next to the field; then today.
        await page.check("#adhoc-type")  # 重層的支援会議 comes first
        await page.fill("#adhoc-date", "令和8年13月1日")
        await page.click("#add-adhoc")
        assert await page.get_attribute("#adhoc-date", "aria-invalid") == "true"
        assert "開催日" in await page.inner_text("#adhoc-date-error")
        assert await serious_violations(page) == []
        assert await page.is_checked("#adhoc-type")  # what was typed is kept
        await page.fill("#adhoc-date", format_date(today))
        await page.click("#add-adhoc")
        await page.wait_for_url("**/meetings/*?saved=adhoc")
        meeting_id = page.url.split("/meetings/")[1].split("?")[0]
        assert "（臨時）" in await page.inner_text("h1")

        # A case with the person's consent to the 重層的支援会議, and its 多機関協働 plan.
        case = await _consented_case(intake, lead, ["shakyo", "houkatsu-03", "aso"])
        body: dict[str, Any] = plan_body(case["case"], today + timedelta(days=90), submit=True)
        created = await eventually(
            lambda: meetings.post("/plans", json=body, headers=shakyo),
            lambda r: r.status_code == 201,
        )
        plan_id = created.json()["plan_id"]
        await eventually(
            lambda: meetings.get("/plans", params={"status": "submitted"}, headers=shakyo),
            lambda r: any(
                p["plan_id"] == plan_id and p["queued_meeting_id"] == meeting_id for p in r.json()
            ),
        )

        await page.reload()
        assert "1件" in await page.inner_text("#queue-title")
        item = page.locator(".agenda-item").first
        shown = await item.inner_text()
        assert "プランの適切性の協議" in shown
        assert get_school_district("05").name_ja in shown  # 校区 name, not its code
        assert issue_code_labels()["hikikomori"] in shown
        assert "母の介護サービスの利用開始" in shown  # a short-term goal
        assert "久留米 一郎" not in shown and "一郎" not in shown  # no names on the agenda
        await screenshot(page, "meeting")
        assert await serious_violations(page) == []

        # 差戻し without its reason: refused next to the field, nothing recorded.
        await page.check("#d1-outcome-return")
        await page.click("#d1-decide")
        assert await page.get_attribute("#d1-reason_code", "aria-invalid") == "true"
        assert "差戻しの理由" in await page.inner_text("#d1-reason_code-error")
        assert await serious_violations(page) == []

        # Approved with the roles decided in the meeting, one 主担当.
        await page.check("#d1-outcome")  # 承認
        await page.select_option("#d1-role_agency_0", "houkatsu-03")
        await page.select_option("#d1-role_code_0", "elderly_care")
        await page.select_option("#d1-role_agency_1", "aso")
        await page.select_option("#d1-role_code_1", "participation")
        await page.check("#d1-lead_0")
        await page.fill("#d1-minutes", "役割分担を確認し承認")
        await page.click("#d1-decide")
        await page.wait_for_url(f"**/meetings/{meeting_id}?saved=decision")
        decision = await page.inner_text(".decision")
        assert "プラン承認" in decision
        assert "地域包括支援センター（第3）：高齢者支援・介護サービス調整（主担当）" in decision
        plan = await meetings.get(f"/plans/{plan_id}", headers=shakyo)
        assert plan.json()["status"] == "approved"
        assert [r["agency_id"] for r in plan.json()["roles"] if r["lead"]] == ["houkatsu-03"]

        # The printable 会議資料 of one member, as the service renders it for that member.
        pack = page.locator('a.pack-link[href$="for_agency=houkatsu-03"]')
        await pack.click()
        assert "会議資料" in await page.inner_text("body")
        assert "母の介護サービスの利用開始" in await page.inner_text("body")
        await page.go_back()

        # Close: one member was absent.
        await page.uncheck("#held-attendee_agency_ids-aso")
        await page.fill("#held-place", "久留米市社会福祉協議会 会議室")
        await page.click("#close-meeting")
        await page.wait_for_url(f"**/meetings/{meeting_id}?saved=held")
        assert "開催済み" in await page.inner_text("#meeting-status")

        await page.click("#open-minutes")
        assert "（案）" not in await page.inner_text("h1")
        assert "議事録" in await page.inner_text("h1")
        attendance = await page.inner_text("#attendance")
        assert "欠席" in attendance and "出席" in attendance
        assert "プラン承認" in await page.inner_text(".minutes")
        assert "介護サービス調整（主担当）" in await page.inner_text(".minutes")
        await screenshot(page, "minutes")
        assert await serious_violations(page) == []
    finally:
        await page.close()
        await meetings.aclose()
        await intake.client.aclose()


async def test_coordinator_records_a_pledge_and_writes_a_plan_for_an_escalated_case(
    portal_stack: PortalStack, browser: Browser, staff_account: Account, token: Token
) -> None:
    shakyo = {"Authorization": f"Bearer {token('shakyo', 'coordinator')}"}
    meetings = httpx.AsyncClient(base_url=portal_stack.services["meetings"].base_url)
    today = today_jst()
    case_id = uuid4()
    await publish(
        portal_stack.settings,
        "intake",
        CaseEscalated(
            case_id=case_id,
            program="multiagency",
            reason_codes=["hikikomori", "elderly_care"],
            escalated_on=today,
            by_agency_id="jiritsu",
        ),
        "jiritsu",
    )
    page = await browser.new_page(locale="ja-JP")
    try:
        await sign_in_as(
            page, portal_stack, await staff_account("shakyo", "manager"), "/meetings/pledges"
        )
        assert "未提出" in await page.inner_text("#pledges")
        await page.select_option("#pledge-agency_id", "kodomo")
        await page.fill("#pledge-pledged_on", "令和8年2月30日")
        await page.click("#record-pledge")
        assert await page.get_attribute("#pledge-pledged_on", "aria-invalid") == "true"
        assert "誓約日" in await page.inner_text("#pledge-pledged_on-error")
        assert await serious_violations(page) == []
        await page.fill("#pledge-pledged_on", format_date(today))
        await page.click("#record-pledge")
        await page.wait_for_url("**/meetings/pledges?*saved=pledge")
        row = page.locator("#pledges tr", has_text="こども子育てサポートセンター")
        assert format_date(today) in await row.inner_text()
        await screenshot(page, "meetings-pledges")
        assert await serious_violations(page) == []

        await page.goto(f"{portal_stack.url}/meetings/escalations")
        link = page.locator(f'a[href$="case_id={case_id}"]')
        await eventually(
            lambda: _reload_count(page, link),
            lambda n: n == 1,
        )
        assert "生活自立支援センター" in await page.inner_text("#escalations")
        assert "ひきこもり" in await page.inner_text("#escalations")
        assert await serious_violations(page) == []

        await link.click()
        await page.fill("#plan-household_wishes", "家族で安心して暮らしたい")
        await page.check("#plan-issues-hikikomori")
        await page.fill("#plan-long_term_goal", "地域の中で孤立せずに暮らす")
        await page.fill("#plan-short_term_goals", "居場所に月1回参加\n家計の相談を始める")
        await page.select_option("#plan-role_agency_0", "jiritsu")
        await page.select_option("#plan-role_code_0", "livelihood")
        await page.select_option("#plan-role_agency_1", "aso")
        await page.select_option("#plan-role_code_1", "participation")
        # No 主担当 chosen: refused next to the roles, what was typed kept.
        await page.fill("#plan-review_on", format_date(today + timedelta(days=90)))
        await page.click("#submit-plan")
        assert "主担当" in await page.inner_text("#plan-roles-error")
        assert await page.input_value("#plan-long_term_goal") == "地域の中で孤立せずに暮らす"
        assert await serious_violations(page) == []
        await page.check("#plan-lead_0")
        await page.click("#submit-plan")
        await page.wait_for_url("**/meetings/plans/*?saved=plan")
        assert "提出済み" in await page.inner_text("h1")
        assert "生活困窮・家計支援（主担当）" in await page.inner_text("#plan-content")
        await screenshot(page, "meetings-plan")
        assert await serious_violations(page) == []
        plan_id = page.url.split("/plans/")[1].split("?")[0]
        stored = await meetings.get(f"/plans/{plan_id}", headers=shakyo)
        assert stored.json()["status"] == "submitted"
        assert stored.json()["content"]["short_term_goals"] == [
            "居場所に月1回参加",
            "家計の相談を始める",
        ]

        await page.goto(f"{portal_stack.url}/meetings/plans")
        assert "提出済み" in await page.inner_text("#plans")
        assert await serious_violations(page) == []
    finally:
        await page.close()
        await meetings.aclose()


async def _reload_count(page: Page, link: Locator) -> int:
    await page.reload()
    return await link.count()


OUTREACH_GOALS = ["週1回の訪問を続け、本人と話せる関係をつくる", "母の通院に同行する"]


async def test_a_queued_outreach_plan_shows_its_goals_read_from_outreach(
    portal_stack: PortalStack, browser: Browser, staff_account: Account, token: Token
) -> None:
    """The goals of an アウトリーチ plan are kept by outreach alone (events carry ids and
    dates): the meeting page reads them there with 社協's own token (audited by outreach)."""
    shakyo = {"Authorization": f"Bearer {token('shakyo', 'coordinator')}"}
    lead = {"Authorization": f"Bearer {token('houkatsu-06', 'counselor')}"}
    meetings = httpx.AsyncClient(base_url=portal_stack.services["meetings"].base_url)
    outreach = httpx.AsyncClient(base_url=portal_stack.services["outreach"].base_url)
    intake = Intake(httpx.AsyncClient(base_url=portal_stack.services["intake"].base_url))
    today = today_jst()
    # Its own 臨時 meeting today, decided and closed at the end: no plan is left queued for
    # the meetings of the tests after this one.
    created = await meetings.post(
        "/meetings", json={"type": "multilayer_meeting", "date": today.isoformat()}, headers=shakyo
    )
    assert created.status_code == 201, created.text
    meeting_id = created.json()["meeting_id"]
    case = await _consented_case(intake, lead, ["shakyo", "houkatsu-06"])
    target = await outreach.post(
        "/targets",
        json={
            "source": "minsei_iin",
            "description": "雨戸がいつも閉まっている家",
            "school_district_code": "05",
            "case_id": case["case"],
        },
        headers=shakyo,
    )
    assert target.status_code == 201, target.text
    plan = await outreach.post(
        f"/targets/{target.json()['target_id']}/plans",
        json={"goals": OUTREACH_GOALS, "review_on": (today + timedelta(days=90)).isoformat()},
        headers=shakyo,
    )
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["plan_id"]
    queued = await eventually(
        lambda: meetings.get("/plans", params={"status": "submitted"}, headers=shakyo),
        lambda r: any(
            p["plan_id"] == plan_id and p["queued_meeting_id"] == meeting_id for p in r.json()
        ),
        timeout_s=60,
    )
    item_id = next(p for p in queued.json() if p["plan_id"] == plan_id)["agenda_item_id"]
    page = await browser.new_page(locale="ja-JP")
    try:
        await sign_in_as(
            page,
            portal_stack,
            await staff_account("shakyo", "coordinator"),
            f"/meetings/{meeting_id}",
        )
        item = page.locator(f"#item-{item_id}")
        shown = await item.inner_text()
        assert "アウトリーチ" in shown
        for goal in OUTREACH_GOALS:
            assert goal in shown
        assert "会議には届きません" not in shown
        assert "雨戸" not in shown  # the target's description is not the plan's
        assert await serious_violations(page) == []
    finally:
        await page.close()
        decided = await meetings.post(
            f"/meetings/{meeting_id}/decisions",
            json={
                "agenda_item_id": item_id,
                "outcome": "return",
                "reason_code": "goals_unclear",
            },
            headers=shakyo,
        )
        assert decided.status_code == 201, decided.text
        held = await meetings.post(f"/meetings/{meeting_id}/held", headers=shakyo)
        assert held.status_code == 200, held.text
        for client in (meetings, outreach, intake.client):
            await client.aclose()
