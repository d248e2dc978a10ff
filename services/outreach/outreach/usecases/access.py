"""Opening a target for a use case: visible to its agency only, every access audited.

A denial is audited too and answered 404 (existence is not revealed). The denial row is
committed before :class:`kasane.errors.NotFound` is raised, so it is kept; a refusal raised
by the use case itself rolls back everything, its "allowed" row included (nothing happened).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

import asyncpg

from kasane.audit import record_access
from kasane.auth import Principal
from outreach.domain.access import entry, may_see, not_found
from outreach.store import targets as store
from outreach.store.targets import Target


async def _load_audited(
    conn: asyncpg.Connection,
    principal: Principal,
    target_id: UUID,
    action: str,
    for_update: bool,
) -> Target | None:
    """The target with an audit row for ``action``, or None (denial audited)."""
    target = await store.get(conn, target_id, for_update=for_update)
    allowed = target is not None and may_see(principal, target.agency_id)
    subject = target.person_id if target is not None and allowed else None
    outcome = "allowed" if allowed else "denied"
    await record_access(conn, entry(principal, target_id, action, outcome, subject))
    return target if allowed else None


@asynccontextmanager
async def visible_target(
    pool: asyncpg.Pool,
    principal: Principal,
    target_id: UUID,
    *,
    action: str,
    for_update: bool = False,
) -> AsyncIterator[tuple[asyncpg.Connection, Target]]:
    """One transaction on a target the caller may see: ``async with visible_target(...)
    as (conn, target)``; NotFound (after the denial is committed) if they may not."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            target = await _load_audited(conn, principal, target_id, action, for_update)
            if target is not None:
                yield conn, target
        if target is None:
            raise not_found(target_id)
