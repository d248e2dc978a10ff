"""会議 rows."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from meetings.domain.calendar import PlannedMeeting
from meetings.domain.meeting import Meeting

_COLUMNS = (
    "id, meeting_type, fiscal_year, meeting_date, regular_date, ad_hoc, holiday, holiday_name,"
    " status, held_on, place"
)


def to_meeting(row: Any) -> Meeting:
    return Meeting(
        id=row["id"],
        meeting_type=row["meeting_type"],
        fiscal_year=row["fiscal_year"],
        meeting_date=row["meeting_date"],
        regular_date=row["regular_date"],
        ad_hoc=row["ad_hoc"],
        holiday=row["holiday"],
        holiday_name=row["holiday_name"],
        status=row["status"],
        held_on=row["held_on"],
        place=row["place"],
    )


async def insert_regular(
    conn: asyncpg.Connection, meeting_id: UUID, planned: PlannedMeeting, created_by: str
) -> Meeting | None:
    """Insert unless that type's meeting for that 4th Wednesday exists; None if it did."""
    row = await conn.fetchrow(
        "INSERT INTO meetings (id, meeting_type, fiscal_year, meeting_date, regular_date, ad_hoc,"
        " holiday, holiday_name, created_by) VALUES ($1, $2, $3, $4, $5, false, $6, $7, $8)"
        " ON CONFLICT (meeting_type, regular_date) WHERE NOT ad_hoc DO NOTHING"
        f" RETURNING {_COLUMNS}",
        meeting_id,
        planned.meeting_type,
        planned.fiscal_year,
        planned.meeting_date,
        planned.regular_date,
        planned.holiday,
        planned.holiday_name,
        created_by,
    )
    return to_meeting(row) if row else None


async def insert_ad_hoc(
    conn: asyncpg.Connection,
    meeting_id: UUID,
    meeting_type: str,
    fiscal_year: int,
    meeting_date: date,
    created_by: str,
) -> Meeting:
    row = await conn.fetchrow(
        "INSERT INTO meetings (id, meeting_type, fiscal_year, meeting_date, ad_hoc, created_by)"
        f" VALUES ($1, $2, $3, $4, true, $5) RETURNING {_COLUMNS}",
        meeting_id,
        meeting_type,
        fiscal_year,
        meeting_date,
        created_by,
    )
    return to_meeting(row)


async def get(conn: asyncpg.Connection, meeting_id: UUID, *, lock: bool = False) -> Meeting | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM meetings WHERE id = $1" + (" FOR UPDATE" if lock else ""),
        meeting_id,
    )
    return to_meeting(row) if row else None


async def in_fiscal_year(conn: asyncpg.Connection, fiscal_year: int) -> list[Meeting]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM meetings WHERE fiscal_year = $1"
        " ORDER BY meeting_date, meeting_type, ad_hoc, id",
        fiscal_year,
    )
    return [to_meeting(r) for r in rows]


async def regular_of_year(conn: asyncpg.Connection, fiscal_year: int) -> list[Meeting]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM meetings WHERE fiscal_year = $1 AND NOT ad_hoc"
        " ORDER BY meeting_date, meeting_type",
        fiscal_year,
    )
    return [to_meeting(r) for r in rows]


async def next_open_multilayer(
    conn: asyncpg.Connection, not_before: date, plan_id: UUID
) -> Meeting | None:
    """The next 重層的支援会議 not yet held, on or after ``not_before``, that has not
    discussed this plan already (a returned plan goes to a later meeting). Locked."""
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM meetings m WHERE meeting_type = 'multilayer_meeting'"
        " AND status = 'scheduled' AND meeting_date >= $1"
        " AND NOT EXISTS (SELECT 1 FROM agenda_items a WHERE a.meeting_id = m.id"
        "   AND a.plan_id = $2 AND a.kind = 'plan_appropriateness')"
        " ORDER BY meeting_date, ad_hoc DESC, id LIMIT 1 FOR UPDATE",
        not_before,
        plan_id,
    )
    return to_meeting(row) if row else None


async def mark_held(
    conn: asyncpg.Connection, meeting_id: UUID, held_on: date, place: str | None = None
) -> None:
    await conn.execute(
        "UPDATE meetings SET status = 'held', held_on = $2, place = coalesce($3, place)"
        " WHERE id = $1",
        meeting_id,
        held_on,
        place,
    )


async def set_place(conn: asyncpg.Connection, meeting_id: UUID, place: str) -> None:
    await conn.execute("UPDATE meetings SET place = $2 WHERE id = $1", meeting_id, place)


async def record_attendance(
    conn: asyncpg.Connection,
    meeting_id: UUID,
    attendance: dict[str, bool],
    recorded_on: date,
    recorded_by: str,
) -> None:
    """出欠: every member's row, present or absent (written once, when the meeting is held)."""
    await conn.executemany(
        "INSERT INTO meeting_attendance (meeting_id, agency_id, present, recorded_on,"
        " recorded_by) VALUES ($1, $2, $3, $4, $5)",
        [(meeting_id, a, p, recorded_on, recorded_by) for a, p in sorted(attendance.items())],
    )


async def attendance(conn: asyncpg.Connection, meeting_id: UUID) -> dict[str, bool]:
    rows = await conn.fetch(
        "SELECT agency_id, present FROM meeting_attendance WHERE meeting_id = $1"
        " ORDER BY agency_id",
        meeting_id,
    )
    return {r["agency_id"]: r["present"] for r in rows}


async def item_counts(conn: asyncpg.Connection, meeting_ids: list[UUID]) -> dict[UUID, int]:
    rows = await conn.fetch(
        "SELECT meeting_id, count(*) AS n FROM agenda_items WHERE meeting_id = ANY($1)"
        " GROUP BY meeting_id",
        meeting_ids,
    )
    return {r["meeting_id"]: r["n"] for r in rows}
