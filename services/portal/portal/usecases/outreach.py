"""アウトリーチ: the outreach service's calls behind the screens (as the signed-in worker)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from kasane.auth.principal import Principal
from kasane.clock import today_jst
from portal.domain import outreach as rules
from portal.store.services import Answer, Services


@dataclass
class TargetPage:
    """A target as read now: its body, the ETag the next edit must match, contacts, plans."""

    status: int
    target: dict[str, Any] = field(default_factory=dict)
    etag: str = ""
    contacts: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)


async def work_list(services: Services, token: str, principal: Principal) -> list[rules.WorkRow]:
    today = today_jst()
    targets, schedule = await asyncio.gather(
        services.get(token, "outreach", "/targets", status="open"),
        services.get(
            token, "outreach", "/visits/overdue", as_of=(today + rules.SCHEDULE_HORIZON).isoformat()
        ),
    )
    items = targets.body if targets.ok and isinstance(targets.body, list) else []
    due = schedule.body.get("by_worker", {}) if schedule.ok else {}
    return rules.work_list(items, due, principal.sub, today)


async def target_page(services: Services, token: str, target_id: str) -> TargetPage:
    target, contacts, plans = await asyncio.gather(
        services.get(token, "outreach", f"/targets/{target_id}"),
        services.get(token, "outreach", f"/targets/{target_id}/contacts"),
        services.get(token, "outreach", f"/targets/{target_id}/plans"),
    )
    if not target.ok:
        return TargetPage(status=target.status)
    return TargetPage(
        status=200,
        target=target.body,
        etag=target.headers.get("etag", ""),
        contacts=sorted(_list(contacts), key=_newest_first, reverse=True),
        plans=_list(plans),
    )


def _newest_first(contact: dict[str, Any]) -> tuple[str, str, str]:
    return (contact["attempted_on"], contact.get("attempted_time") or "", contact["recorded_at"])


def _list(answer: Answer) -> list[dict[str, Any]]:
    return list(answer.body) if answer.ok and isinstance(answer.body, list) else []


async def record_contact(
    services: Services, token: str, target_id: str, body: dict[str, Any], key: str
) -> Answer:
    return await services.call(
        token,
        "outreach",
        "POST",
        f"/targets/{target_id}/contacts",
        json=body,
        headers={"Idempotency-Key": key} if key else None,
    )


async def change_stage(
    services: Services, token: str, target_id: str, body: dict[str, Any], etag: str
) -> Answer:
    return await services.call(
        token, "outreach", "PATCH", f"/targets/{target_id}", json=body, headers={"If-Match": etag}
    )


async def submit_plan(
    services: Services, token: str, target_id: str, body: dict[str, Any], key: str
) -> Answer:
    return await services.call(
        token,
        "outreach",
        "POST",
        f"/targets/{target_id}/plans",
        json=body,
        headers={"Idempotency-Key": key} if key else None,
    )


@dataclass(frozen=True)
class HandOff:
    """Where a hand-off stopped: the referral's answer, and the end's (None if not tried)."""

    referral: Answer
    ended: Answer | None


async def hand_over(
    services: Services,
    token: str,
    target_id: str,
    referral: dict[str, Any],
    key: str,
    etag: str,
) -> HandOff:
    """Refer the person to the agency, then end the outreach with that referral. The
    form's key makes the referral idempotent: sent again after the end was refused (a
    stale version), the same referral is found, not a second one made."""
    made = await services.call(
        token, "referral", "POST", "/referrals", json=referral, headers={"Idempotency-Key": key}
    )
    if not made.ok or not isinstance(made.body, dict):
        return HandOff(made, None)
    ended = await services.call(
        token,
        "outreach",
        "POST",
        f"/targets/{target_id}/end",
        json=rules.handed_over(str(made.body["referral_id"])),
        headers={"If-Match": etag},
    )
    return HandOff(made, ended)
