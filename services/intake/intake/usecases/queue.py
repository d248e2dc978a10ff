"""受付待ち: the 見守りネットワーク concerns waiting for the caller's agency (codes only)."""

from __future__ import annotations

import asyncpg

from intake.domain.models import PendingConcern
from intake.store import queue
from kasane.auth import Principal


async def pending_consultations(
    pool: asyncpg.Pool, principal: Principal, limit: int, offset: int
) -> list[PendingConcern]:
    """No personal data in a queue item, so no audit row."""
    async with pool.acquire() as conn:
        return await queue.pending(conn, principal.agency, limit, offset)
