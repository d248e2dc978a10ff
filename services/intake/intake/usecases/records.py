"""支援経過記録: add to a case's dated timeline, read it page by page."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from intake.domain.access import Level
from intake.domain.cases import RecordIn, ensure_open
from intake.domain.models import CaseRecord
from intake.store import cases
from intake.usecases.access import case_access
from intake.usecases.transaction import unit_of_work
from kasane.auth import Principal
from kasane.ids import uuid7


async def add_record(
    pool: asyncpg.Pool, principal: Principal, case_id: UUID, data: RecordIn, purpose: str
) -> UUID:
    record_id = uuid7()
    async with unit_of_work(pool) as conn:
        case, _ = await case_access(
            conn,
            principal,
            case_id,
            need=Level.WORK,
            action="create",
            purpose=purpose,
            record_type="case_records",
            record_id=record_id,
        )
        ensure_open(case.status)
        await cases.insert_record(conn, record_id, case_id, data, principal.sub, principal.agency)
    return record_id


async def list_records(
    pool: asyncpg.Pool,
    principal: Principal,
    case_id: UUID,
    *,
    after: datetime | None,
    limit: int,
    purpose: str,
) -> list[CaseRecord]:
    """Oldest first, after ``after``."""
    async with unit_of_work(pool) as conn:
        await case_access(
            conn,
            principal,
            case_id,
            need=Level.WORK,
            action="read",
            purpose=purpose,
            record_type="case_records",
        )
        return await cases.records(conn, case_id, after=after, limit=limit)
