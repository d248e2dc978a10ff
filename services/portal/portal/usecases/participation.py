"""参加支援: the participation service's calls behind the screens (as the signed-in user)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from portal.store.services import Answer, Services

# The resource categories matched on the page: 居場所・就労・居住 first.
MATCH_CATEGORIES = ("ibasho", "work_trial", "employment", "housing")


@dataclass
class ParticipantPage:
    status: int
    participant: dict[str, Any] = field(default_factory=dict)
    matches: list[dict[str, Any]] = field(default_factory=list)  # with "resource" joined
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id


async def participants(services: Services, token: str) -> list[dict[str, Any]]:
    answer = await services.get(token, "participation", "/participants")
    items = answer.body if answer.ok and isinstance(answer.body, list) else []
    return sorted(items, key=lambda p: (p.get("status") == "ended", str(p.get("started_on"))))


async def participant_page(
    services: Services, token: str, participant_id: str, category: str | None
) -> ParticipantPage:
    found, resources = await asyncio.gather(
        services.get(token, "participation", f"/participants/{participant_id}"),
        services.get(token, "participation", "/resources"),
    )
    if not found.ok:
        return ParticipantPage(status=found.status)
    by_id = {str(r["resource_id"]): r for r in _list(resources)}
    page = ParticipantPage(status=200, participant=found.body, resources=by_id)
    if found.body.get("status") == "active":
        matched = await services.get(
            token,
            "participation",
            f"/participants/{participant_id}/matches",
            category=category,
            within="city",
        )
        page.matches = [
            {**m, "resource": by_id.get(str(m["resource_id"]))}
            for m in _list(matched)
            if category or m.get("category") in MATCH_CATEGORIES
        ]
    return page


def _list(answer: Answer) -> list[dict[str, Any]]:
    return list(answer.body) if answer.ok and isinstance(answer.body, list) else []


async def post(services: Services, token: str, path: str, body: dict[str, Any], key: str) -> Answer:
    return await services.call(
        token,
        "participation",
        "POST",
        path,
        json=body,
        headers={"Idempotency-Key": key} if key else None,
    )
