"""Overdue regular visits, per worker (the schedule read is audited)."""

from __future__ import annotations

from datetime import date

import asyncpg

from kasane.audit import record_access
from kasane.auth import Principal
from outreach.domain.access import schedule_entry
from outreach.domain.visits import Overdue, overdue_by_worker
from outreach.store import visits as store


async def overdue_visits(
    pool: asyncpg.Pool, principal: Principal, worker: str | None, as_of: date
) -> dict[str, list[Overdue]]:
    async with pool.acquire() as conn, conn.transaction():
        schedule = await store.schedule(conn, principal.agency, worker)
        await record_access(conn, schedule_entry(principal, worker))
    return overdue_by_worker(schedule, as_of)
