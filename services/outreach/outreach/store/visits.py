"""The regular-visit schedule from targets and their visit contacts."""

from __future__ import annotations

import asyncpg

from outreach.domain.contacts import VISIT_METHODS
from outreach.domain.visits import Scheduled


async def schedule(conn: asyncpg.Connection, agency_id: str, worker: str | None) -> list[Scheduled]:
    rows = await conn.fetch(
        "SELECT t.id, t.assigned_worker, t.visit_interval_days, t.registered_on, t.stage,"
        " t.school_district_code,"
        " (SELECT max(c.attempted_on) FROM contacts c"
        "   WHERE c.target_id = t.id AND c.method = ANY($3::text[])) AS last_visit_on"
        " FROM targets t WHERE t.agency_id = $1 AND t.status = 'open'"
        " AND t.visit_interval_days IS NOT NULL"
        " AND ($2::text IS NULL OR t.assigned_worker = $2)",
        agency_id,
        worker,
        sorted(VISIT_METHODS),
    )
    return [
        Scheduled(
            target_id=r["id"],
            worker=r["assigned_worker"],
            interval_days=r["visit_interval_days"],
            registered_on=r["registered_on"],
            last_visit_on=r["last_visit_on"],
            stage=r["stage"],
            school_district_code=r["school_district_code"],
        )
        for r in rows
    ]
