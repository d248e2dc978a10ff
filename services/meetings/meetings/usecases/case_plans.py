"""A case's plans, as the caller may see them (the case page of the staff portal)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from kasane.auth import Principal
from meetings.store import plans as plans_store
from meetings.usecases.plans import PlanRead, _readable


async def plans_of_case(
    pool: asyncpg.Pool, principal: Principal, case_id: UUID, today: date
) -> list[PlanRead]:
    """Each plan of the case through the one plan access rule (each read audited there);
    a plan the caller may not read is left out, so its existence is not revealed."""
    async with pool.acquire() as conn, conn.transaction():
        found = []
        for plan_id in await plans_store.ids_of_case(conn, case_id):
            plan = await plans_store.get(conn, plan_id)
            read = await _readable(conn, principal, plan, today) if plan else None
            if read is not None:
                found.append(read)
        return found
