"""SQL for the case list with names (GET /cases?names=true, ?agency=shared)."""

from __future__ import annotations

import asyncpg

from intake.domain.models import Case
from intake.store.rows import rows_to


async def page(
    conn: asyncpg.Connection, agency_id: str, scope: str, status: str, limit: int, offset: int
) -> list[Case]:
    """``scope`` mine: cases the agency leads (主担当); shared: cases another agency leads
    and this one holds an unrevoked grant on (the access rule still decides each one).
    Newest first; ``status`` open, closed or all."""
    return rows_to(
        Case,
        await conn.fetch(
            "SELECT c.* FROM cases c WHERE ($2 = 'all' OR c.status = $2) AND CASE WHEN $3 = 'mine'"
            " THEN c.lead_agency_id = $1 ELSE c.lead_agency_id <> $1 AND EXISTS (SELECT 1"
            " FROM access_grants g WHERE g.case_id = c.id AND g.agency_id = $1"
            " AND g.revoked_at IS NULL) END"
            " ORDER BY c.opened_on DESC, c.id LIMIT $4 OFFSET $5",
            agency_id,
            status,
            scope,
            limit,
            offset,
        ),
    )
