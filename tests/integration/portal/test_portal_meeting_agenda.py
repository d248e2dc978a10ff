"""議題に追加 on the real stack (issue 17 item 1): a counselor's 「支援会議に諮る」 is refused
until 社協 admits the agency and its 守秘義務 pledge is recorded; 社協 puts an escalated case
on a 臨時 支援会議 (errors next to the fields first), the item shows the case's 世帯概要 and
no names, an agency invited for the case without a pledge sees no detail in its pack; once
admitted and pledged, the counselor's proposal goes on the agenda. axe on every page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

import httpx
import pytest
from playwright.async_api import Browser, Page

from kasane.clock import today_jst
from kasane.events.intake import CaseEscalated
from kasane.reference import get_school_district
from kasane.reference.issue_codes import issue_code_labels
from tests.integration.helpers import eventually
from tests.integration.intake.intake_steps import household_case
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

LEAD = "houkatsu-05"  # no other portal test's agency: its pledge is this test's
INVITED = "kikan-03"  # invited for the case, never pledged in the portal tests


@dataclass
class Intake:
    client: httpx.AsyncClient


async def _reloaded(page: Page, selector: str) -> str:
    await page.reload()
    return await page.inner_text(selector)


async def test_a_case_goes_onto_a_support_meeting_from_the_case_page_and_the_meeting_page(
    portal_stack: PortalStack, browser: Browser, staff_account: Account, token: Token
) -> None:
    shakyo = {"Authorization": f"Bearer {token('shakyo', 'coordinator')}"}
    lead = {"Authorization": f"Bearer {token(LEAD, 'counselor')}"}
    meetings = httpx.AsyncClient(base_url=portal_stack.services["meetings"].base_url)
    intake = Intake(httpx.AsyncClient(base_url=portal_stack.services["intake"].base_url))
    today = today_jst()
    created = await meetings.post(
        "/meetings", json={"type": "support_meeting", "date": today.isoformat()}, headers=shakyo
    )
    assert created.status_code == 201, created.text
    meeting_id = created.json()["meeting_id"]
    case = await household_case(intake, lead)  # type: ignore[arg-type]
    case_id = case["case"]
    counselor = await browser.new_page(locale="ja-JP")
    page = await browser.new_page(locale="ja-JP")
    try:
        # The counselor's 「支援会議に諮る」: the form comes with the case chosen.
        await sign_in_as(counselor, portal_stack, await staff_account(LEAD, "counselor"))
        await counselor.goto(f"{portal_stack.url}/cases/{case_id}")
        await counselor.click("#propose-agenda")
        assert await counselor.input_value("#agenda-case_id") == case_id
        assert "社会福祉法第106条の6" in await counselor.inner_text("#legal-bases")
        assert await counselor.locator("#agenda-presenting_agency_id").count() == 0
        assert await serious_violations(counselor) == []
        await counselor.click("#add-agenda")  # no meeting, no kind
        assert await counselor.get_attribute("#agenda-meeting_id", "aria-invalid") == "true"
        assert await counselor.inner_text("#agenda-meeting_id-error") == "会議を選んでください"
        assert await counselor.inner_text("#agenda-kind-error") == "協議内容を選んでください"
        assert await counselor.input_value("#agenda-case_id") == case_id  # kept
        assert await serious_violations(counselor) == []
        # Not yet admitted to this 支援会議: the service refuses, the reason is shown.
        await counselor.select_option("#agenda-meeting_id", meeting_id)
        await counselor.select_option("#agenda-kind", "watch_policy")
        await counselor.click("#add-agenda")
        refusal = await counselor.inner_text(".error-summary")
        assert "社協がこの支援会議への参加を決定していません" in refusal
        assert "/ not admitted" not in refusal  # the Japanese half only

        # 社協: the case reaches 多機関協働 (intake's CaseEscalated) and is put on the meeting.
        await publish(
            portal_stack.settings,
            "intake",
            CaseEscalated(
                case_id=UUID(case_id),
                program="multiagency",
                reason_codes=["hikikomori"],
                escalated_on=today,
                by_agency_id=LEAD,
            ),
            LEAD,
        )
        await sign_in_as(
            page, portal_stack, await staff_account("shakyo", "coordinator"), "/meetings"
        )
        await page.goto(f"{portal_stack.url}/meetings/{meeting_id}")
        await page.click("#open-agenda-form")
        assert await page.input_value("#agenda-meeting_id") == meeting_id
        await eventually(
            lambda: _reloaded(page, "#agenda-case_id"),
            lambda shown: "つなぎ（地域包括支援センター（第5））" in shown,
            timeout_s=60,
        )
        await page.select_option("#agenda-case_id", case_id)
        await page.select_option("#agenda-kind", "resource_gap")  # a 重層的支援会議 kind
        await page.click("#add-agenda")
        assert await page.get_attribute("#agenda-kind", "aria-invalid") == "true"
        assert "この会議で扱える協議内容" in await page.inner_text("#agenda-kind-error")
        assert await serious_violations(page) == []
        await page.select_option("#agenda-kind", "information_sharing")
        await page.select_option("#agenda-presenting_agency_id", LEAD)
        await page.fill("#agenda-summary", "母の介護と息子の閉じこもり。見守りの役割を確認したい")
        await screenshot(page, "meeting-agenda-form")
        await page.click("#add-agenda")
        await page.wait_for_url(f"**/meetings/{meeting_id}?saved=agenda*")
        item = page.locator(".agenda-item").first
        district = get_school_district("05").name_ja
        shown = await eventually(
            lambda: _reloaded(page, ".agenda-item"),
            lambda text: district in text,
            timeout_s=60,
        )
        assert "気になる事例の情報提供・情報共有" in shown
        assert "支援会議（社会福祉法第106条の6）" in shown
        assert issue_code_labels()["hikikomori"] in shown
        assert "一郎" not in await item.inner_text() and "久留米 " not in shown  # no names
        assert await serious_violations(page) == []

        # ケースに応じた参加者: an agency for this case; with no pledge it sees no detail.
        await page.click("#add-member")  # no agency chosen
        assert await page.inner_text("#member-agency_id-error") == "機関を選んでください"
        assert await serious_violations(page) == []
        await page.select_option("#member-agency_id", INVITED)
        await page.select_option("#member-case_id", case_id)
        await page.click("#add-member")
        await page.wait_for_url(f"**/meetings/{meeting_id}?saved=member*")
        row = page.locator("#members tr", has_text="障害者基幹相談支援センター（第3）")
        shown = await row.inner_text()
        # A 定例の参加機関 chosen for a case is admitted to the meeting (社協's decision).
        assert "定例の参加機関" in shown and "未決定" not in shown and "未提出" in shown
        await screenshot(page, "meeting-agenda-added")
        await page.goto(f"{portal_stack.url}/meetings/{meeting_id}/pack?for_agency={INVITED}")
        pack = await page.inner_text("body")
        assert "守秘義務の誓約が記録されていません" in pack
        assert district not in pack and "一郎" not in pack and "閉じこもり" not in pack

        # 社協 admits the lead agency and records its pledge: now its proposal goes on.
        await page.goto(f"{portal_stack.url}/meetings/{meeting_id}")
        await page.select_option("#member-agency_id", LEAD)
        await page.select_option("#member-case_id", case_id)
        await page.click("#add-member")
        await page.wait_for_url(f"**/meetings/{meeting_id}?saved=member*")
        pledged = await meetings.post("/pledges", json={"agency_id": LEAD}, headers=shakyo)
        assert pledged.status_code == 201, pledged.text
        await counselor.click("#add-agenda")  # the same form, sent again
        await counselor.wait_for_url(f"**/cases/{case_id}?done=agenda*")
        assert await counselor.inner_text("#done") == "会議の議題に追加しました。"
        assert "見守りと支援方針の理解" in await counselor.inner_text("#meetings")
        assert await serious_violations(counselor) == []
    finally:
        await page.close()
        await counselor.close()
        await meetings.aclose()
        await intake.client.aclose()
