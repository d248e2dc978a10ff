"""watch_visits SQL: one row per revision; the effective figure is the latest revision."""

from __future__ import annotations

import asyncpg

from community.watch_visits import Effective


async def lock(conn: asyncpg.Connection, district: str, month: str) -> None:
    # Two first reports of one month must not both become revision 1.
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtext('watch_visits'), hashtext($1))",
        f"{district}:{month}",
    )


async def effective(conn: asyncpg.Connection, district: str, month: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM watch_visits WHERE school_district_code = $1 AND month = $2"
        " ORDER BY revision DESC LIMIT 1",
        district,
        month,
    )
    return row


def as_effective(row: asyncpg.Record | None) -> Effective | None:
    return None if row is None else Effective(visits=row["visits"], revision=row["revision"])


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
) -> asyncpg.Record:
    row: asyncpg.Record = await conn.fetchrow(
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
    return row


async def history(conn: asyncpg.Connection, district: str, month: str) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT * FROM watch_visits WHERE school_district_code = $1 AND month = $2"
            " ORDER BY revision",
            district,
            month,
        )
    )


async def effective_in_fiscal_year(
    conn: asyncpg.Connection, fiscal_year: int, district: str | None
) -> list[tuple[str, str, int]]:
    rows = await conn.fetch(
        "SELECT DISTINCT ON (school_district_code, month) school_district_code, month, visits"
        " FROM watch_visits WHERE fiscal_year = $1"
        " AND ($2::text IS NULL OR school_district_code = $2)"
        " ORDER BY school_district_code, month, revision DESC",
        fiscal_year,
        district,
    )
    return [(r["school_district_code"], r["month"], r["visits"]) for r in rows]
