"""ホーム: what is waiting for me today, gathered from the services at once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from kasane.auth.principal import Principal
from portal.domain.cases import display_name
from portal.domain.navigation import works_cases
from portal.store.services import Answer, ServiceDown, Services


@dataclass
class Panel:
    """One box of the home page: its rows, or why they could not be shown."""

    items: list[dict[str, Any]] = field(default_factory=list)
    unavailable: str | None = None  # the service that did not answer


@dataclass
class Home:
    queue: Panel  # 見守りネットワークから回ってきた相談 (my agency)
    cases: Panel  # my agency's open cases
    referrals_waiting: Panel  # つなぎ: requests to my agency waiting for an answer
    referrals_overdue: Panel  # requests past their answer date
    meetings: Panel  # 次の会議: coming meetings with my agency's cases on them


def _items(answer: Answer | BaseException, service: str) -> Panel:
    if isinstance(answer, ServiceDown):
        return Panel(unavailable=service)
    if isinstance(answer, BaseException):
        raise answer
    if not answer.ok or not isinstance(answer.body, dict):
        return Panel(unavailable=service)
    return Panel(items=list(answer.body.get("items", [])))


@dataclass
class PartnerHome:
    """A 連携機関's home: the referrals addressed to it, nothing else of the 体制."""

    waiting: Panel  # 回答待ち (requested)
    accepted: Panel  # 受理済み、結果の報告待ち


async def partner_home(services: Services, token: str) -> PartnerHome:
    """The referral service lists only referrals to the caller's organisation."""
    answers = await asyncio.gather(
        services.get(
            token, "referral", "/referrals", direction="received", status="requested", limit=50
        ),
        services.get(
            token, "referral", "/referrals", direction="received", status="accepted", limit=50
        ),
        return_exceptions=True,
    )
    return PartnerHome(
        waiting=_items(answers[0], "referral"), accepted=_items(answers[1], "referral")
    )


async def home(services: Services, token: str, principal: Principal) -> Home | None:
    """None for staff without person-level work (the city): their home is the figures."""
    if not works_cases(principal):
        return None
    answers = await asyncio.gather(
        services.get(token, "intake", "/queue", limit=20),
        services.get(token, "intake", "/cases", status="open", names="true", limit=20),
        services.get(
            token, "referral", "/referrals", direction="received", status="requested", limit=20
        ),
        services.get(
            token, "referral", "/referrals", direction="received", overdue="true", limit=20
        ),
        services.get(token, "meetings", "/agenda/mine", limit=10),
        return_exceptions=True,
    )
    cases = _items(answers[1], "intake")
    for item in cases.items:
        # Names come with the list (one audited read in intake); a case is called by its 本人.
        item["display_name"] = display_name(item.get("persons") or [])
    return Home(
        queue=_items(answers[0], "intake"),
        cases=cases,
        referrals_waiting=_items(answers[2], "referral"),
        referrals_overdue=_items(answers[3], "referral"),
        meetings=_items(answers[4], "meetings"),
    )
