"""POST /consultations: 相談受付 (opens a case when none is given)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from intake.api import schemas
from intake.api.deps import Events, Pool, PurposeHeader, purpose
from intake.api.schemas import created
from intake.domain.consultations import ConsultationIn
from intake.usecases import consultations
from kasane.auth.roles import CaseWorker

router = APIRouter(tags=["相談受付 consultations"])


@router.post(
    "/consultations",
    status_code=status.HTTP_201_CREATED,
    responses=created(schemas.ConsultationCreated),
)
async def create_consultation(
    body: ConsultationIn,
    principal: CaseWorker,
    pool: Pool,
    events: Events,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    done = await consultations.create_consultation(
        pool, events, principal, body, purpose(why, "相談受付")
    )
    return {"consultation_id": str(done.consultation_id), "case_id": str(done.case_id)}
