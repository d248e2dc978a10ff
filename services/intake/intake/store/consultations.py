"""SQL for consultations (相談受付)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from intake.domain.consultations import ConsultationIn
from intake.domain.models import Consultation
from intake.store.rows import rows_to
from kasane.db.statement import Write


def consultation_row(
    consultation_id: UUID,
    agency_id: str,
    data: ConsultationIn,
    *,
    case_id: UUID | None,
    is_complex: bool,
    created_by: str,
) -> Write:
    reason = data.between_systems.reason if data.between_systems else None
    return Write(
        "INSERT INTO consultations (id, agency_id, received_at, channel, issue_codes, age_band,"
        " school_district_code, is_complex, created_by, case_id, person_id, consulted_by,"
        " urgency, narrative, outcome, between_systems, between_systems_reason, concern_id)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)",
        (
            consultation_id,
            agency_id,
            data.received_at,
            data.channel,
            data.issue_codes,
            data.age_band,
            data.school_district_code,
            is_complex,
            created_by,
            case_id,
            data.person_id,
            data.consulted_by,
            data.urgency,
            data.narrative,
            data.outcome,
            data.is_between_systems,
            reason,
            data.concern_id,
        ),
    )


async def for_case(conn: asyncpg.Connection, case_id: UUID) -> list[Consultation]:
    return rows_to(
        Consultation,
        await conn.fetch(
            "SELECT * FROM consultations WHERE case_id = $1 ORDER BY received_at", case_id
        ),
    )
