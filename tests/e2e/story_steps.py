"""Steps of the end-to-end story, one service call each, asserting their own success."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx

from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually

Auth = Callable[..., dict[str, str]]

SHAKYO = ("shakyo", "coordinator")
HOUKATSU = ("houkatsu-03", "counselor")  # 校区 12 lies in 日常生活圏域 03 (sample data)
KIKAN = ("kikan-01", "counselor")
ASO = ("aso", "coordinator")
STRANGER = ("kodomo", "counselor")
CITY = ("city-chiiki-fukushi", "city_official")
AUDITOR = ("city-chiiki-fukushi", "auditor")


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


async def status_of(service: RunningService, auth: Auth, who: tuple[str, str], path: str) -> int:
    return (await service.client.get(path, headers=auth(*who))).status_code


async def until_ok(
    service: RunningService,
    auth: Auth,
    who: tuple[str, str],
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    status: int = 201,
    timeout_s: float = 30,
) -> Any:
    """Repeat a call that waits on an event another service published (eventual consistency)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        response = await service.client.request(method, path, json=body, headers=auth(*who))
        if response.status_code == status:
            return response.json()
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        await asyncio.sleep(0.3)


async def queued_item(meetings: RunningService, auth: Auth, meeting_id: str, plan_id: str) -> str:
    """The agenda item a submitted plan queued itself as (PlanSubmitted → meetings)."""

    async def items() -> list[dict[str, Any]]:
        body = await ok(await meetings.client.get(f"/meetings/{meeting_id}", headers=auth(*SHAKYO)))
        return [i for i in body["items"] if i.get("plan_id") == plan_id]

    [item] = await eventually(items, lambda found: len(found) == 1)
    return str(item["agenda_item_id"])


async def approve(
    meetings: RunningService, auth: Auth, meeting_id: str, item_id: str
) -> dict[str, Any]:
    body = {"agenda_item_id": item_id, "outcome": "approve"}
    result: dict[str, Any] = await ok(
        await meetings.client.post(
            f"/meetings/{meeting_id}/decisions", json=body, headers=auth(*SHAKYO)
        ),
        201,
    )
    return result


async def until_granted(
    dsn: str, case_id: str, agency: str, source: str, *, live: bool = True
) -> None:
    """Wait until intake holds (or, with live=False, has revoked) a grant, reading its table."""

    async def state() -> list[bool]:
        conn = await asyncpg.connect(dsn)
        try:
            rows = await conn.fetch(
                "SELECT revoked_at IS NULL AS live FROM access_grants"
                " WHERE case_id = $1::uuid AND agency_id = $2 AND source = $3",
                case_id,
                agency,
                source,
            )
        finally:
            await conn.close()
        return [r["live"] for r in rows]

    await eventually(state, lambda found: bool(found) and all(v == live for v in found))
