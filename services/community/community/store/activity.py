"""program_activity SQL: the effective report is the latest revision of its key.

A city-wide report is stored under the 校区 ``''`` and a whole-program report under the
component ``''`` (the key is NOT NULL); both are ``None`` everywhere outside this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from community.domain.activity import Figures

CITY_WIDE = ""
WHOLE_PROGRAM = ""


@dataclass(frozen=True)
class ActivityReport:
    """One revision of a program's report for a month and 校区 (None: city-wide)."""

    report_id: UUID
    program_code: str
    component_code: str | None
    month: str
    school_district_code: str | None
    sessions: int
    participants: int
    revision: int
    fiscal_year: int
    reported_at: datetime

    @property
    def figures(self) -> Figures:
        return Figures(sessions=self.sessions, participants=self.participants)


def _report(row: asyncpg.Record) -> ActivityReport:
    return ActivityReport(
        report_id=row["report_id"],
        program_code=row["program_code"],
        component_code=row["component_code"] or None,
        month=row["month"],
        school_district_code=row["school_district_code"] or None,
        sessions=row["sessions"],
        participants=row["participants"],
        revision=row["revision"],
        fiscal_year=row["fiscal_year"],
        reported_at=row["reported_at"],
    )


async def lock(
    conn: asyncpg.Connection, program: str, component: str | None, month: str, district: str | None
) -> None:
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtext('program_activity'), hashtext($1))",
        f"{program}:{component or WHOLE_PROGRAM}:{month}:{district or CITY_WIDE}",
    )


async def effective(
    conn: asyncpg.Connection, program: str, component: str | None, month: str, district: str | None
) -> ActivityReport | None:
    row = await conn.fetchrow(
        "SELECT * FROM program_activity WHERE program_code = $1 AND component_code = $2"
        " AND month = $3 AND school_district_code = $4 ORDER BY revision DESC LIMIT 1",
        program,
        component or WHOLE_PROGRAM,
        month,
        district or CITY_WIDE,
    )
    return None if row is None else _report(row)


async def insert(
    conn: asyncpg.Connection,
    *,
    report_id: UUID,
    revision: int,
    program: str,
    component: str | None,
    month: str,
    district: str | None,
    figures: Figures,
    fiscal_year: int,
    agency_id: str,
    by: str,
) -> ActivityReport:
    row = await conn.fetchrow(
        "INSERT INTO program_activity (report_id, revision, program_code, component_code,"
        " month, school_district_code, sessions, participants, fiscal_year, agency_id,"
        " reported_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *",
        report_id,
        revision,
        program,
        component or WHOLE_PROGRAM,
        month,
        district or CITY_WIDE,
        figures.sessions,
        figures.participants,
        fiscal_year,
        agency_id,
        by,
    )
    return _report(row)


async def effective_in_fiscal_year(
    conn: asyncpg.Connection, program: str, fiscal_year: int
) -> list[ActivityReport]:
    rows = await conn.fetch(
        "SELECT DISTINCT ON (report_id) * FROM program_activity"
        " WHERE program_code = $1 AND fiscal_year = $2"
        " ORDER BY report_id, revision DESC",
        program,
        fiscal_year,
    )
    return [_report(r) for r in rows]
