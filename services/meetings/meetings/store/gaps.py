"""社会資源の不足 rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from meetings.domain.gaps import GapIn


@dataclass(frozen=True)
class ResourceGap:
    id: UUID
    meeting_id: UUID
    category_code: str
    school_district_code: str | None
    description: str | None
    raised_on: date


async def insert(
    conn: asyncpg.Connection,
    gap_id: UUID,
    meeting_id: UUID,
    agenda_item_id: UUID | None,
    gap: GapIn,
    raised_on: date,
    fiscal_year: int,
) -> None:
    await conn.execute(
        "INSERT INTO resource_gaps (id, meeting_id, agenda_item_id, category_code,"
        " school_district_code, description, raised_on, fiscal_year)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        gap_id,
        meeting_id,
        agenda_item_id,
        gap.category_code,
        gap.school_district_code,
        gap.description,
        raised_on,
        fiscal_year,
    )


async def in_fiscal_year(conn: asyncpg.Connection, fiscal_year: int) -> list[ResourceGap]:
    rows = await conn.fetch(
        "SELECT id, meeting_id, category_code, school_district_code, description, raised_on"
        " FROM resource_gaps WHERE fiscal_year = $1 ORDER BY raised_on, id",
        fiscal_year,
    )
    return [ResourceGap(**dict(r)) for r in rows]


async def by_agenda_item(conn: asyncpg.Connection, meeting_id: UUID) -> dict[UUID, list[str]]:
    """The gap categories each item of the meeting raised (for the pack and the minutes)."""
    rows = await conn.fetch(
        "SELECT agenda_item_id, category_code FROM resource_gaps"
        " WHERE meeting_id = $1 AND agenda_item_id IS NOT NULL ORDER BY raised_on, id",
        meeting_id,
    )
    found: dict[UUID, list[str]] = {}
    for r in rows:
        found.setdefault(r["agenda_item_id"], []).append(r["category_code"])
    return found
