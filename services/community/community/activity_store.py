"""program_activity SQL: the effective report is the latest revision of its key."""

from __future__ import annotations

from uuid import UUID

import asyncpg


async def lock(conn: asyncpg.Connection, program: str, month: str, district: str) -> None:
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtext('program_activity'), hashtext($1))",
        f"{program}:{month}:{district}",
    )


async def effective(
    conn: asyncpg.Connection, program: str, month: str, district: str
) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM program_activity WHERE program_code = $1 AND month = $2"
        " AND school_district_code = $3 ORDER BY revision DESC LIMIT 1",
        program,
        month,
        district,
    )
    return row


async def insert(
    conn: asyncpg.Connection,
    *,
    report_id: UUID,
    revision: int,
    program: str,
    month: str,
    district: str,
    sessions: int,
    participants: int,
    fiscal_year: int,
    agency_id: str,
    by: str,
) -> asyncpg.Record:
    row: asyncpg.Record = await conn.fetchrow(
        "INSERT INTO program_activity (report_id, revision, program_code, month,"
        " school_district_code, sessions, participants, fiscal_year, agency_id, reported_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *",
        report_id,
        revision,
        program,
        month,
        district,
        sessions,
        participants,
        fiscal_year,
        agency_id,
        by,
    )
    return row


async def effective_in_fiscal_year(
    conn: asyncpg.Connection, program: str, fiscal_year: int
) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT DISTINCT ON (report_id) * FROM program_activity"
            " WHERE program_code = $1 AND fiscal_year = $2"
            " ORDER BY report_id, revision DESC",
            program,
            fiscal_year,
        )
    )
