"""The outreach worker's and アソウ's screens on the real stack (issue 17 items 2 and 3), in
Debian's chromium: a contact logged on a phone, resent after a lost answer (one record), a
stale stage change refused with the newer version shown, a stage change; a participant's
plan, a placement into a resource with free places, a step logged. axe on every page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from playwright.async_api import Browser, Page, Route

from kasane.clock import today_jst
from kasane.events.intake import CaseOpened, ConsentRecorded
from kasane.events.meetings import PlanApproved
from participation.domain.participants import participant_id_for
from tests.integration.helpers import eventually
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


async def api(
    stack: PortalStack, service: str, method: str, path: str, bearer: str, **kw: Any
) -> httpx.Response:
    async with httpx.AsyncClient(base_url=stack.services[service].base_url) as client:
        headers = {"Authorization": f"Bearer {bearer}", **kw.pop("headers", {})}
        return await client.request(method, path, headers=headers, **kw)


async def menu_labels(page: Page) -> list[str]:
    return [t.strip() for t in await page.locator(".site-nav a").all_inner_texts()]


async def test_outreach_worker_logs_a_contact_on_a_phone_resends_it_and_changes_the_stage(
    portal_stack: PortalStack, browser: Browser, staff_account: Account, token: Token
) -> None:
    worker = token("shakyo", "coordinator")
    created = await api(
        portal_stack,
        "outreach",
        "POST",
        "/targets",
        worker,
        json={
            "source": "minsei_iin",
            "description": "○○町2丁目、雨戸がいつも閉まっている家",
            "school_district_code": "08",
            "visit_interval_days": 14,
            "registered_on": "2025-04-01",
        },
    )
    assert created.status_code == 201, created.text
    target_id = created.json()["target_id"]

    context = await browser.new_context(
        viewport={"width": 375, "height": 812}, locale="ja-JP", is_mobile=True, has_touch=True
    )
    page = await context.new_page()
    try:
        await sign_in_as(
            page, portal_stack, await staff_account("shakyo", "coordinator"), "/outreach"
        )
        assert "アウトリーチ" in await menu_labels(page)
        assert "参加支援" not in await menu_labels(page)
        row = page.locator(".target-row", has=page.locator(f'a[href$="{target_id}"]'))
        # Registered long ago with a 14-day interval and never visited: late, so on top.
        assert "日遅れ" in await row.inner_text()
        assert "ふれあいの会" not in await row.inner_text()
        assert "民生委員児童委員協議会" in await row.inner_text()
        await screenshot(page, "outreach")
        assert await serious_violations(page) == []

        await row.locator("a").click()
        await page.click("#new-contact")
        assert await page.inner_text("h1") == "接触の記録"
        await screenshot(page, "outreach-contact-phone")
        assert await serious_violations(page) == []
        # A typo first: the date is refused next to its field, in Japanese.
        await page.check('input[name="method"][value="visit"]')
        await page.check('input[name="result"][value="absent"]')
        await page.fill("#attempted_on", "令和7年13月1日")
        await page.click("#record-contact")
        assert await page.get_attribute("#attempted_on", "aria-invalid") == "true"
        assert "接触日" in await page.inner_text("#attempted_on-error")
        assert await serious_violations(page) == []

        day = today_jst()
        await page.fill("#attempted_on", f"{day:%Y-%m-%d}")
        await page.fill("#note", "インターホンに応答なし。手紙を投函")
        await page.fill("#attempted_time", "14:05")
        await page.fill("#place", "自宅玄関先")
        await page.fill("#duration_minutes", "10")

        # The first send reaches the service but its answer is lost (the phone stays on the
        # form, as after a timeout); the worker taps 記録する again.
        lost: list[int] = []

        async def lose_answer(route: Route) -> None:
            response = await route.fetch(max_redirects=0)
            lost.append(response.status)
            await route.fulfill(status=204)

        await page.route("**/contact", lose_answer)
        await page.click("#record-contact")
        await page.wait_for_timeout(300)
        assert lost == [303]
        await page.unroute("**/contact", lose_answer)
        await page.click("#record-contact")
        await page.wait_for_url(f"**/outreach/targets/{target_id}?saved=contact")
        assert "保存しました" in await page.inner_text("#saved")
        assert await page.locator("#contacts tbody tr").count() == 1
        contacts = await api(
            portal_stack, "outreach", "GET", f"/targets/{target_id}/contacts", worker
        )
        assert len(contacts.json()) == 1
        assert "不在" in await page.inner_text("#contacts")
        assert "14:05" in await page.inner_text("#contacts")
        assert "自宅玄関先（10分）" in await page.inner_text("#contacts")

        # Someone else moves the stage while this page is open: the edit is refused and the
        # newer version is shown.
        await page.select_option("#stage-stage", "relationship")
        current = await api(portal_stack, "outreach", "GET", f"/targets/{target_id}", worker)
        moved = await api(
            portal_stack,
            "outreach",
            "PATCH",
            f"/targets/{target_id}",
            worker,
            json={"stage": "contacted", "reason": "玄関先で話せた"},
            headers={"If-Match": current.headers["etag"]},
        )
        assert moved.status_code == 200, moved.text
        await page.click("#change-stage")
        assert "先に更新しました" in await page.inner_text("#stale-notice")
        assert await page.inner_text("#current-stage-now") == "接触"
        assert "玄関先で話せた" in await page.inner_text("#stage-history")
        assert await serious_violations(page) == []

        # Sent again, now against the version shown: accepted.
        await page.fill("#stage-reason", "2回目の訪問で話ができた")
        await page.click("#change-stage")
        await page.wait_for_url(f"**/outreach/targets/{target_id}?saved=stage")
        assert (await page.inner_text("#current-stage")).startswith("関係形成")
        assert await serious_violations(page) == []
    finally:
        await context.close()


async def referred_case(
    stack: PortalStack, token: Token, program: str, agencies: list[str]
) -> tuple[UUID, UUID]:
    """A case of 生活自立支援センター referred into a program and accepted by its operator,
    with the person's consent covering the program and ``agencies``: (case, referral)."""
    own = stack.settings
    case_id = uuid4()
    await publish(
        own,
        "intake",
        CaseOpened(
            case_id=case_id,
            lead_agency_id="jiritsu",
            opened_on=date(2025, 6, 2),
            school_district_code="03",
        ),
        "jiritsu",
    )
    await publish(
        own,
        "intake",
        ConsentRecorded(
            consent_id=uuid4(),
            case_id=case_id,
            person_id=uuid4(),
            scope_agencies=agencies,
            scope_programs=[program],
            method="written",
            consented_on=date(2025, 6, 2),
            expires_on=None,
        ),
        "jiritsu",
    )
    counselor = token("jiritsu", "counselor")
    body = {"case_id": str(case_id), "to_program": program, "reason_codes": ["hikikomori"]}
    created = await eventually(
        lambda: api(stack, "referral", "POST", "/referrals", counselor, json=body),
        lambda r: r.status_code == 201,
    )
    referral_id = UUID(created.json()["referral_id"])
    operator = "aso" if program == "participation" else "shakyo"
    accepted = await api(
        stack,
        "referral",
        "POST",
        f"/referrals/{referral_id}/accept",
        token(operator, "coordinator"),
    )
    assert accepted.status_code == 200, accepted.text
    return case_id, referral_id


async def active_participant(stack: PortalStack, token: Token) -> tuple[UUID, UUID]:
    """The participant enrolled from an accepted referral into 参加支援: (case, participant)."""
    case_id, referral_id = await referred_case(stack, token, "participation", [])
    pid = participant_id_for(referral_id)
    await eventually(
        lambda: api(stack, "participation", "GET", f"/participants/{pid}", token("aso", "manager")),
        lambda r: r.status_code == 200,
    )
    return case_id, pid


async def test_outreach_worker_hands_a_person_over_to_a_consultation_agency(
    portal_stack: PortalStack, page: Page, staff_account: Account, token: Token
) -> None:
    case_id, _ = await referred_case(portal_stack, token, "outreach", ["houkatsu-01"])
    worker = token("shakyo", "coordinator")
    created = await api(
        portal_stack,
        "outreach",
        "POST",
        "/targets",
        worker,
        json={"source": "agency", "description": "自立支援Cから", "case_id": str(case_id)},
    )
    assert created.status_code == 201, created.text
    target_id = created.json()["target_id"]

    await sign_in_as(
        page, portal_stack, await staff_account("shakyo", "coordinator"),
        f"/outreach/targets/{target_id}",
    )  # fmt: skip
    await page.select_option("#handoff-to_agency", "houkatsu-01")
    await page.click("#hand-over")
    assert "1つ以上" in await page.inner_text("#handoff-reason_codes-error")
    assert await page.input_value("#handoff-to_agency") == "houkatsu-01"
    assert await serious_violations(page) == []
    await page.check('input[name="reason_codes"][value="elderly_care"]')
    await page.check('input[name="reason_codes"][value="isolation"]')
    await page.click("#hand-over")
    await page.wait_for_url(f"**/outreach/targets/{target_id}?saved=handoff")
    assert "支援機関へ引継ぎ" in await page.inner_text("main")
    assert await page.locator("#handoff-form").count() == 0
    assert await serious_violations(page) == []

    received = await api(
        portal_stack, "referral", "GET", "/referrals", token("houkatsu-01", "counselor"),
        params={"direction": "received"},
    )  # fmt: skip
    mine = [r for r in received.json()["items"] if r["case_id"] == str(case_id)]
    assert [(r["from_agency_id"], r["reason_codes"]) for r in mine] == [
        ("shakyo", ["elderly_care", "isolation"])
    ]
    ended = await api(portal_stack, "outreach", "GET", f"/targets/{target_id}", worker)
    assert ended.json()["referral_id"] == mine[0]["referral_id"]


async def test_aso_plans_places_into_a_resource_and_logs_a_step(
    portal_stack: PortalStack, page: Page, staff_account: Account, token: Token
) -> None:
    aso = token("aso", "coordinator")
    resource = await api(
        portal_stack,
        "participation",
        "POST",
        "/resources",
        aso,
        json={
            "organization": {"name": "NPO法人 ひだまり"},
            "service": {"name": "居場所ひだまり", "category": "ibasho"},
            "location": {"name": "ひだまりハウス", "school_district_code": "03"},
            "eligibility": {"age_min": None, "age_max": None},
            "capacity": 3,
        },
    )
    assert resource.status_code == 201, resource.text
    case_id, pid = await active_participant(portal_stack, token)

    await sign_in_as(
        page, portal_stack, await staff_account("aso", "coordinator"), "/participation"
    )
    # A program operator takes no consultations (intake would refuse): no 相談受付.
    assert await menu_labels(page) == [
        "ホーム",
        "本人検索",
        "ケース一覧",
        "つなぎ（紹介）の受付",
        "参加支援",
    ]
    row = page.locator("#participants tr", has=page.locator(f'a[href$="{pid}"]'))
    assert "生活自立支援センター" in await row.inner_text()
    assert await serious_violations(page) == []

    await row.locator("a").click()
    # The plan: a missing goal is refused next to its field, what was typed is kept.
    await page.fill("#plan-wishes", "家族以外の人と少し話せるようになりたい")
    await page.check('input[name="steps"][value="outing"]')
    await page.check('input[name="steps"][value="ibasho"]')
    await page.click("#submit-plan")
    assert await page.get_attribute("#plan-goals", "aria-invalid") == "true"
    assert "目標を入力" in await page.inner_text(".error-summary")
    assert await page.input_value("#plan-wishes") == "家族以外の人と少し話せるようになりたい"
    assert await serious_violations(page) == []
    await page.fill("#plan-goals", "週1回、居場所に通う")
    await page.click("#submit-plan")
    await page.wait_for_url(f"**/participation/{pid}?saved=plan")
    assert "外出 → 居場所" in await page.inner_text(".plan")

    # The 重層的支援会議 approves it (meetings' event, as the meetings screens will send).
    plan_id = UUID(
        (await api(portal_stack, "participation", "GET", f"/participants/{pid}", aso)).json()[
            "plans"
        ][0]["plan_id"]
    )
    await publish(
        portal_stack.settings,
        "meetings",
        PlanApproved(
            plan_id=plan_id,
            case_id=case_id,
            program="participation",
            meeting_id=uuid4(),
            approved_on=today_jst(),
        ),
        "shakyo",
    )
    await eventually(
        lambda: api(portal_stack, "participation", "GET", f"/participants/{pid}", aso),
        lambda r: r.json()["status"] == "active",
    )
    await page.reload()
    assert await page.inner_text("#participant-status") == "支援中"
    match = page.locator("#matches tr", has_text="居場所ひだまり")
    assert "3人／3人" in await match.inner_text()
    await match.locator('input[type="radio"]').check()
    await page.fill("#placement-started_on", f"{today_jst():%Y-%m-%d}")
    await page.click("#start-placement")
    await page.wait_for_url(f"**/participation/{pid}?saved=placement")
    assert "居場所ひだまり" in await page.inner_text("#placements")
    assert "受け入れ中" in await page.inner_text("#placements")

    await page.select_option("#step-stage", "ibasho")
    await page.fill(
        "#step-reached_on",
        "令和" + str(today_jst().year - 2018) + f"年{today_jst().month}月{today_jst().day}日",
    )
    await page.fill("#step-note", "初回は30分で帰宅")
    await page.click("#record-step")
    await page.wait_for_url(f"**/participation/{pid}?saved=step")
    assert "初回は30分で帰宅" in await page.inner_text("#steps")
    assert (await page.inner_text("#current-stage")) == "居場所"
    await screenshot(page, "participation")
    assert await serious_violations(page) == []

    # The placement ends: the outcome is required, then the place is free again.
    end = page.locator("form.placement-end")
    await end.locator('input[name="ended_on"]').fill(f"{today_jst():%Y-%m-%d}")
    await end.locator("button").click()
    assert "結果を選んでください" in await page.inner_text(".error-summary")
    assert await serious_violations(page) == []
    end = page.locator("form.placement-end")
    await end.locator("select").select_option("next_step")
    await end.locator('input[name="ended_on"]').fill(f"{today_jst():%Y-%m-%d}")
    await end.locator("button").click()
    await page.wait_for_url(f"**/participation/{pid}?saved=placement_end")
    assert "終了（次の段階へ）" in await page.inner_text("#placements")
    assert "3人／3人" in await page.locator("#matches tr", has_text="居場所ひだまり").inner_text()
