"""SQL for reading the access audit (the writing side is kasane.audit).

Lists show every committed row: the sealed ones in chain order (``seq``), then the ones
the sealer has not reached yet (``seq`` NULL, normally under a second old) in the order
they will be sealed. ``after_seq`` pages through the sealed part; pending rows come last
and will reappear, sealed, after the last sealed ``seq``.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from intake.domain.models import AuditRow
from intake.store.rows import rows_to


async def page(
    conn: asyncpg.Connection,
    *,
    actor_agency: str | None,
    record_type: str | None,
    since: datetime | None,
    until: datetime | None,
    after_seq: int,
    limit: int,
) -> list[AuditRow]:
    return rows_to(
        AuditRow,
        await conn.fetch(
            "SELECT * FROM access_audit WHERE (seq > $1 OR seq IS NULL)"
            " AND ($2::text IS NULL OR actor_agency = $2)"
            " AND ($3::text IS NULL OR record_type = $3)"
            " AND ($4::timestamptz IS NULL OR at >= $4)"
            " AND ($5::timestamptz IS NULL OR at < $5)"
            " ORDER BY seq NULLS LAST, xid, id LIMIT $6",
            after_seq,
            actor_agency,
            record_type,
            since,
            until,
            limit,
        ),
    )


async def about_person(
    conn: asyncpg.Connection, person_id: UUID, after_seq: int, limit: int
) -> list[AuditRow]:
    """Every access touching the person: their own record, their households, their cases.

    Audit rows name their subject: a person id, a household id or a case id (see usecases.access).
    """
    return rows_to(
        AuditRow,
        await conn.fetch(
            "WITH households AS (SELECT household_id FROM household_members WHERE person_id = $1),"
            " subjects AS ("
            "   SELECT $1::text AS id"
            "   UNION SELECT household_id::text FROM households"
            "   UNION SELECT id::text FROM cases WHERE primary_person_id = $1"
            "         OR household_id IN (SELECT household_id FROM households))"
            " SELECT * FROM access_audit WHERE (seq > $2 OR seq IS NULL)"
            " AND subject_id IN (SELECT id FROM subjects)"
            " ORDER BY seq NULLS LAST, xid, id LIMIT $3",
            person_id,
            after_seq,
            limit,
        ),
    )
