"""Access audit: the auditor's list, chain verification, and a person's 開示請求 log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from intake.domain.models import AuditRow, GrantRecord
from intake.store import audit, grants
from intake.usecases.access import person_access
from intake.usecases.transaction import unit_of_work
from kasane.audit_sealer import heads_file, signing_key, verify_database
from kasane.auth import Principal
from kasane.settings import Settings


@dataclass(frozen=True)
class PersonLog:
    rows: list[AuditRow]  # audit rows about the person, their households and cases
    grants: list[GrantRecord]  # who else was let into the person's cases, and until when
    with_staff: bool  # whether the staff member (actor_sub) is shown: auditors only


async def list_audit(
    pool: asyncpg.Pool,
    *,
    actor_agency: str | None,
    record_type: str | None,
    since: datetime | None,
    until: datetime | None,
    after_seq: int,
    limit: int,
) -> list[AuditRow]:
    async with pool.acquire() as conn:
        return await audit.page(
            conn,
            actor_agency=actor_agency,
            record_type=record_type,
            since=since,
            until=until,
            after_seq=after_seq,
            limit=limit,
        )


async def verify_audit(pool: asyncpg.Pool, settings: Settings) -> dict[str, Any]:
    """Recompute the hash chain over every sealed row and compare it with the last signed
    head the sealer exported (改ざん・末尾削除の検知)."""
    async with pool.acquire() as conn:
        database = await conn.fetchval("SELECT current_database()")
        return await verify_database(
            conn, signing_key(settings), heads_file(settings, str(database))
        )


async def person_access_log(
    pool: asyncpg.Pool,
    principal: Principal,
    person_id: UUID,
    *,
    after_seq: int,
    limit: int,
    purpose: str,
) -> PersonLog:
    """開示請求: who accessed this person's data. Auditors see it all; an agency manager may
    produce it for a person their agency may see (that read is itself audited)."""
    auditor = "auditor" in principal.roles
    async with unit_of_work(pool) as conn:
        if not auditor:
            await person_access(conn, principal, person_id, action="read", purpose=purpose)
        rows = await audit.about_person(conn, person_id, after_seq, limit)
        granted = await grants.about_person(conn, person_id)
    return PersonLog(rows, granted, with_staff=auditor)
