"""intake's SQL."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from intake.domain import ConsultationIn


async def insert_consultation(
    conn: asyncpg.Connection,
    consultation_id: UUID,
    agency_id: str,
    data: ConsultationIn,
    is_complex: bool,
    created_by: str,
) -> None:
    await conn.execute(
        "INSERT INTO consultations (id, agency_id, received_at, channel, issue_codes, age_band,"
        " school_district_code, is_complex, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
        consultation_id,
        agency_id,
        data.received_at,
        data.channel,
        data.issue_codes,
        data.age_band,
        data.school_district_code,
        is_complex,
        created_by,
    )
