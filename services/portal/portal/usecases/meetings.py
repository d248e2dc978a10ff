"""多機関協働 meetings: the meetings service's calls behind the screens (as the signed-in
社協 coordinator; every read of case detail is audited there)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from portal.domain.meetings import outreach_plans_to_read
from portal.store.services import Answer, ServiceDown, Services


@dataclass
class MeetingPage:
    """A meeting as read now: itself (members, visible items), the year's pledges, the
    plans queued on it, and the goals of its queued アウトリーチ plans (read from outreach)."""

    status: int
    meeting: dict[str, Any] = field(default_factory=dict)
    pledges: dict[str, str] = field(default_factory=dict)  # agency → pledged_on
    queued: list[dict[str, Any]] = field(default_factory=list)
    outreach_plans: dict[str, dict[str, Any]] = field(default_factory=dict)  # plan id → plan
    outreach_down: bool = False  # outreach did not answer: the rest of the page still shows


def _list(answer: Answer) -> list[dict[str, Any]]:
    return list(answer.body) if answer.ok and isinstance(answer.body, list) else []


async def year(services: Services, token: str, fiscal_year: int | None) -> Answer:
    params = {"fiscal_year": fiscal_year} if fiscal_year is not None else {}
    return await services.get(token, "meetings", "/meetings", **params)


async def meeting_page(services: Services, token: str, meeting_id: str) -> MeetingPage:
    meeting = await services.get(token, "meetings", f"/meetings/{meeting_id}")
    if not meeting.ok or not isinstance(meeting.body, dict):
        return MeetingPage(status=meeting.status)
    pledges, plans, (outreach_plans, outreach_down) = await asyncio.gather(
        services.get(token, "meetings", "/pledges", fiscal_year=meeting.body["fiscal_year"]),
        services.get(token, "meetings", "/plans", status="submitted"),
        _outreach_plans(services, token, outreach_plans_to_read(meeting.body.get("items"))),
    )
    return MeetingPage(
        status=200,
        meeting=meeting.body,
        pledges={p["agency_id"]: p["pledged_on"] for p in _list(pledges)},
        queued=[p for p in _list(plans) if p.get("queued_meeting_id") == meeting_id],
        outreach_plans=outreach_plans,
        outreach_down=outreach_down,
    )


async def _outreach_plans(
    services: Services, token: str, plan_ids: list[str]
) -> tuple[dict[str, dict[str, Any]], bool]:
    """Each plan outreach lets this user read (outreach audits every read; a plan it
    refuses is simply not shown), and whether outreach was down."""
    if not plan_ids:
        return {}, False
    try:
        answers = await asyncio.gather(
            *(services.get(token, "outreach", f"/plans/{plan_id}") for plan_id in plan_ids)
        )
    except ServiceDown:
        return {}, True
    found = {
        plan_id: answer.body
        for plan_id, answer in zip(plan_ids, answers, strict=True)
        if answer.ok and isinstance(answer.body, dict)
    }
    return found, False


async def add_ad_hoc(services: Services, token: str, body: dict[str, Any], key: str) -> Answer:
    return await services.call(
        token,
        "meetings",
        "POST",
        "/meetings",
        json=body,
        headers={"Idempotency-Key": key} if key else None,
    )


async def decide(
    services: Services, token: str, meeting_id: str, body: dict[str, Any], key: str
) -> Answer:
    return await services.call(
        token,
        "meetings",
        "POST",
        f"/meetings/{meeting_id}/decisions",
        json=body,
        headers={"Idempotency-Key": key} if key else None,
    )


async def close(services: Services, token: str, meeting_id: str, body: dict[str, Any]) -> Answer:
    return await services.call(token, "meetings", "POST", f"/meetings/{meeting_id}/held", json=body)


async def minutes(services: Services, token: str, meeting_id: str) -> Answer:
    return await services.get(token, "meetings", f"/meetings/{meeting_id}/minutes")


async def pledges(services: Services, token: str, fiscal_year: int) -> Answer:
    return await services.get(token, "meetings", "/pledges", fiscal_year=fiscal_year)


async def record_pledge(services: Services, token: str, body: dict[str, Any]) -> Answer:
    return await services.call(token, "meetings", "POST", "/pledges", json=body)


async def escalations(services: Services, token: str) -> Answer:
    return await services.get(token, "meetings", "/escalations")


async def plans(services: Services, token: str) -> Answer:
    return await services.get(token, "meetings", "/plans")


async def plan(services: Services, token: str, plan_id: str) -> Answer:
    return await services.get(token, "meetings", f"/plans/{plan_id}")


async def save_plan(
    services: Services,
    token: str,
    plan_id: str | None,
    body: dict[str, Any],
    submit: bool,
    key: str,
) -> Answer:
    """A new plan is created (submitted at once when asked); a draft or returned plan is
    revised, then submitted when asked. The answer carries the plan's id."""
    if plan_id is None:
        return await services.call(
            token,
            "meetings",
            "POST",
            "/plans",
            json={**body, "submit": submit},
            headers={"Idempotency-Key": key} if key else None,
        )
    revised = await services.call(token, "meetings", "PUT", f"/plans/{plan_id}", json=body)
    if not revised.ok or not submit:
        return revised
    return await services.call(token, "meetings", "POST", f"/plans/{plan_id}/submit")


async def pack(services: Services, token: str, meeting_id: str, for_agency: str | None) -> Answer:
    return await services.get(
        token, "meetings", f"/meetings/{meeting_id}/pack", for_agency=for_agency
    )
