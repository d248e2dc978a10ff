"""The city's screens: the indicators service's calls behind them (as the signed-in city
official, so its role check and audit apply exactly as for a script)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from portal.store.services import Answer, Services


@dataclass
class Dashboard:
    """One year's figures as the indicators service answers them."""

    status: int
    report: dict[str, Any] = field(default_factory=dict)
    figures: list[dict[str, Any]] = field(default_factory=list)


async def dashboard(services: Services, token: str, fiscal_year: int) -> Dashboard:
    indicators, operations = await asyncio.gather(
        services.get(token, "indicators", "/indicators", fiscal_year=fiscal_year),
        services.get(token, "indicators", "/operations", fiscal_year=fiscal_year),
    )
    if not indicators.ok:
        return Dashboard(status=indicators.status)
    figures = operations.body.get("figures", []) if operations.ok else []
    return Dashboard(status=200, report=indicators.body, figures=figures)


async def indicator_names(services: Services, token: str, fiscal_year: int) -> dict[str, str]:
    answer = await services.get(token, "indicators", "/indicators", fiscal_year=fiscal_year)
    rows = answer.body.get("indicators", []) if answer.ok else []
    return {row["id"]: row["name_ja"] for row in rows}


async def targets(services: Services, token: str, fiscal_year: int) -> list[dict[str, Any]]:
    answer = await services.get(token, "indicators", "/targets", fiscal_year=fiscal_year)
    found: list[dict[str, Any]] = answer.body.get("targets", []) if answer.ok else []
    return found


async def set_target(
    services: Services, token: str, indicator_id: str, fiscal_year: int, body: dict[str, Any]
) -> Answer:
    return await services.call(
        token, "indicators", "PUT", f"/targets/{indicator_id}/{fiscal_year}", json=body
    )


async def surveys(services: Services, token: str, fiscal_year: int) -> list[dict[str, Any]]:
    answer = await services.get(token, "indicators", "/surveys", fiscal_year=fiscal_year)
    found: list[dict[str, Any]] = answer.body.get("results", []) if answer.ok else []
    return found


async def load_survey(
    services: Services, token: str, body: dict[str, Any], idempotency_key: str
) -> Answer:
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return await services.call(token, "indicators", "POST", "/surveys", json=body, headers=headers)


async def export(services: Services, token: str, name: str, fiscal_year: int) -> Answer:
    return await services.get(token, "indicators", f"/{name}", fiscal_year=fiscal_year)
