"""The portal home's "next meetings my cases are on": an agency-scoped, read-only list.

Only items the caller's agency would see in any case (``domain.access``: the case's 主担当
and the presenting agency always see their item), and only ids, dates and codes: no item
summary, no decision, no minutes. So it reads no personal data and writes no audit row;
opening the meeting (GET /meetings/{id}) shows the detail and audits that read.
"""

from __future__ import annotations

from datetime import date

import asyncpg

from kasane.auth import Principal
from meetings.store.my_agenda import MyItem, upcoming


async def my_upcoming_items(
    pool: asyncpg.Pool, principal: Principal, since: date, limit: int
) -> list[MyItem]:
    async with pool.acquire() as conn:
        return await upcoming(conn, principal.agency, since, limit)
