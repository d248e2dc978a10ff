"""社協 地域づくり: the community service's calls behind the screens (as the signed-in
coordinator, so its operator check and its audit apply)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from portal.store.services import Answer, Services


async def cells(services: Services, token: str, fiscal_year: int) -> list[dict[str, Any]]:
    answer = await services.get(token, "community", "/watch-visits/cells", fiscal_year=fiscal_year)
    found: list[dict[str, Any]] = answer.body.get("cells", []) if answer.ok else []
    return found


@dataclass
class Cell:
    """One 校区 and month: the effective figure and every revision (newest first)."""

    current: dict[str, Any] | None
    revisions: list[dict[str, Any]] = field(default_factory=list)


async def cell(services: Services, token: str, district: str, month: str) -> Cell:
    path = f"/watch-visits/{district}/{month}"
    current, history = await asyncio.gather(
        services.get(token, "community", path), services.get(token, "community", path + "/history")
    )
    revisions = history.body.get("revisions", []) if history.ok else []
    return Cell(
        current.body if current.ok else None,
        sorted(revisions, key=lambda r: int(r["revision"]), reverse=True),
    )


async def report_visits(
    services: Services,
    token: str,
    district: str,
    month: str,
    body: dict[str, Any],
    idempotency_key: str,
) -> Answer:
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return await services.call(
        token, "community", "PUT", f"/watch-visits/{district}/{month}", json=body, headers=headers
    )


async def concerns(services: Services, token: str) -> list[dict[str, Any]]:
    answer = await services.get(token, "community", "/concerns")
    found: list[dict[str, Any]] = answer.body if answer.ok and isinstance(answer.body, list) else []
    return found


async def report_concern(
    services: Services, token: str, body: dict[str, Any], idempotency_key: str
) -> Answer:
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return await services.call(token, "community", "POST", "/concerns", json=body, headers=headers)


async def councils(services: Services, token: str, fiscal_year: int) -> dict[str, Any]:
    answer = await services.get(token, "community", "/support-councils", fiscal_year=fiscal_year)
    found: dict[str, Any] = answer.body if answer.ok and isinstance(answer.body, dict) else {}
    return found


async def record_council(
    services: Services, token: str, body: dict[str, Any], idempotency_key: str
) -> Answer:
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return await services.call(
        token, "community", "POST", "/support-councils", json=body, headers=headers
    )


async def activity(
    services: Services, token: str, program_code: str, fiscal_year: int
) -> dict[str, Any]:
    answer = await services.get(
        token, "community", f"/programs/{program_code}/activity", fiscal_year=fiscal_year
    )
    found: dict[str, Any] = answer.body if answer.ok and isinstance(answer.body, dict) else {}
    return found


async def report_activity(
    services: Services, token: str, program_code: str, body: dict[str, Any], key: str
) -> Answer:
    headers = {"Idempotency-Key": key} if key else {}
    return await services.call(
        token,
        "community",
        "POST",
        f"/programs/{program_code}/activity",
        json=body,
        headers=headers,
    )


async def resources(
    services: Services, token: str, category: str | None, district: str | None
) -> list[dict[str, Any]]:
    answer = await services.get(
        token, "community", "/resources", category=category, school_district_code=district
    )
    found: list[dict[str, Any]] = answer.body if answer.ok and isinstance(answer.body, list) else []
    return found


async def resource(services: Services, token: str, resource_id: str) -> Answer:
    return await services.get(token, "community", f"/resources/{resource_id}")


async def save_resource(
    services: Services,
    token: str,
    resource_id: str | None,
    body: dict[str, Any],
    version: str,
    key: str,
) -> Answer:
    """A new entry (POST), or a new version of one (PUT, If-Match: the version edited)."""
    if resource_id is None:
        headers = {"Idempotency-Key": key} if key else {}
        return await services.call(
            token, "community", "POST", "/resources", json=body, headers=headers
        )
    headers = {"If-Match": f'"{version}"'} if version else {}
    return await services.call(
        token, "community", "PUT", f"/resources/{resource_id}", json=body, headers=headers
    )
