"""議題に追加 and ケースに応じた参加者: the meetings and intake calls behind the forms, as the
signed-in user (the meetings service decides who may put a case on which meeting, and
audits each attempt)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Any

from kasane.fiscal_year import fiscal_year_of
from portal.domain import meeting_agenda as rules
from portal.store.services import Answer, Services

CASE_LIST_LIMIT = 100  # the pick list: my open cases, newest first


@dataclass
class AgendaChoices:
    meetings: dict[str, rules.MeetingChoice]
    cases: dict[str, str]


def _list(answer: Answer) -> list[dict[str, Any]]:
    return list(answer.body) if answer.ok and isinstance(answer.body, list) else []


def _items(answer: Answer) -> list[dict[str, Any]]:
    body = answer.body if answer.ok and isinstance(answer.body, dict) else {}
    return list(body.get("items", []))


async def choices(
    services: Services, token: str, today: date, coordinator: bool, prefilled: str | None
) -> AgendaChoices:
    """The meetings still to come (this fiscal year and the next, so March reaches April)
    and the cases this user may put forward, without names."""
    year = fiscal_year_of(today)
    calls = [
        services.get(token, "meetings", "/meetings", fiscal_year=year),
        services.get(token, "meetings", "/meetings", fiscal_year=year + 1),
        services.get(token, "intake", "/cases", status="open", limit=CASE_LIST_LIMIT),
    ]
    if coordinator:
        calls.append(services.get(token, "meetings", "/escalations"))
    answers = await asyncio.gather(*calls)
    meetings = rules.upcoming(_list(answers[0]) + _list(answers[1]), today)
    escalations = _list(answers[3]) if coordinator else []
    return AgendaChoices(
        meetings={m.meeting_id: m for m in meetings},
        cases=rules.case_choices(_items(answers[2]), escalations, prefilled),
    )


async def add_item(
    services: Services, token: str, meeting_id: str, body: dict[str, Any], key: str
) -> Answer:
    return await services.call(
        token,
        "meetings",
        "POST",
        f"/meetings/{meeting_id}/agenda",
        json=body,
        headers={"Idempotency-Key": key} if key else None,
    )


async def add_member(
    services: Services, token: str, meeting_id: str, body: dict[str, Any]
) -> Answer:
    """The agency joins for the case and is admitted (社協's decision) in one call; adding
    it again widens it to more cases and keeps the first admission."""
    return await services.call(
        token, "meetings", "POST", f"/meetings/{meeting_id}/members", json=body
    )
