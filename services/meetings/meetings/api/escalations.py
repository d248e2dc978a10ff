"""GET /escalations: cases intake escalated to 多機関協働 with no plan yet (社協's list)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from meetings.api.deps import Coordinator, Pool
from meetings.store import cases as cases_store

router = APIRouter(tags=["つなぎ escalations"])


@router.get("/escalations")
async def open_escalations(principal: Coordinator, pool: Pool) -> list[dict[str, Any]]:
    """Ids, dates and codes only (the case itself is read through intake)."""
    async with pool.acquire() as conn:
        return await cases_store.open_escalations(conn)
