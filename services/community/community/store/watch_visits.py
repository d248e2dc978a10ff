"""watch_visits SQL: one row per revision; the effective figure is the latest revision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from community.domain.watch_visits import Effective


@dataclass(frozen=True)
class Revision:
    """One reported figure of a 校区's month."""

    school_district_code: str
    month: str
    fiscal_year: int
    visits: int
    revision: int
    reported_at: datetime
    reported_by: str

    @property
    def effective(self) -> Effective:
        return Effective(visits=self.visits, revision=self.revision)


def _revision(row: asyncpg.Record) -> Revision:
    return Revision(
        school_district_code=row["school_district_code"],
        month=row["month"],
        fiscal_year=row["fiscal_year"],
        visits=row["visits"],
        revision=row["revision"],
        reported_at=row["reported_at"],
        reported_by=row["reported_by"],
    )


async def lock(conn: asyncpg.Connection, district: str, month: str) -> None:
    # Two first reports of one month must not both become revision 1.
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtext('watch_visits'), hashtext($1))",
        f"{district}:{month}",
    )


async def effective(conn: asyncpg.Connection, district: str, month: str) -> Revision | None:
    row = await conn.fetchrow(
        "SELECT * FROM watch_visits WHERE school_district_code = $1 AND month = $2"
        " ORDER BY revision DESC LIMIT 1",
        district,
        month,
    )
    return None if row is None else _revision(row)


async def insert(
    conn: asyncpg.Connection,
    *,
    district: str,
    month: str,
    revision: int,
    visits: int,
    fiscal_year: int,
    agency_id: str,
    reported_by: str,
) -> Revision:
    row = await conn.fetchrow(
        "INSERT INTO watch_visits (school_district_code, month, revision, visits, fiscal_year,"
        " agency_id, reported_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
        district,
        month,
        revision,
        visits,
        fiscal_year,
        agency_id,
        reported_by,
    )
    return _revision(row)


async def history(conn: asyncpg.Connection, district: str, month: str) -> list[Revision]:
    rows = await conn.fetch(
        "SELECT * FROM watch_visits WHERE school_district_code = $1 AND month = $2"
        " ORDER BY revision",
        district,
        month,
    )
    return [_revision(r) for r in rows]


async def effective_in_fiscal_year(
    conn: asyncpg.Connection, fiscal_year: int, district: str | None
) -> list[tuple[str, str, int]]:
    """``(校区, month, visits)`` of each month's effective figure."""
    rows = await conn.fetch(
        "SELECT DISTINCT ON (school_district_code, month) school_district_code, month, visits"
        " FROM watch_visits WHERE fiscal_year = $1"
        " AND ($2::text IS NULL OR school_district_code = $2)"
        " ORDER BY school_district_code, month, revision DESC",
        fiscal_year,
        district,
    )
    return [(r["school_district_code"], r["month"], r["visits"]) for r in rows]
