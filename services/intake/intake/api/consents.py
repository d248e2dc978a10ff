"""本人同意: record on a case, withdraw (sharing on it stops at once)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict

from intake.api import schemas
from intake.api.deps import Events, Pool, PurposeHeader, purpose
from intake.api.schemas import created, ok
from intake.domain.consent import ConsentIn
from intake.usecases import consents
from kasane.auth.roles import CaseWorker
from kasane.types import IsoDate, NotFuture

router = APIRouter(tags=["本人同意 consents"])


@router.post(
    "/cases/{case_id}/consents",
    status_code=status.HTTP_201_CREATED,
    responses=created(schemas.ConsentCreated),
)
async def record_consent(
    case_id: UUID,
    body: ConsentIn,
    principal: CaseWorker,
    pool: Pool,
    events: Events,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    consent_id = await consents.record_consent(
        pool, events, principal, case_id, body, purpose(why, "本人同意の記録")
    )
    return {"consent_id": str(consent_id), "case_id": str(case_id)}


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    withdrawn_on: Annotated[IsoDate, NotFuture("撤回日", "withdrawn_on")]


@router.post(
    "/consents/{consent_id}/withdraw", response_model=None, responses=ok(schemas.ConsentWithdrawn)
)
async def withdraw_consent(
    consent_id: UUID,
    body: WithdrawIn,
    principal: CaseWorker,
    pool: Pool,
    events: Events,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    await consents.withdraw_consent(
        pool, events, principal, consent_id, body.withdrawn_on, purpose(why, "本人同意の撤回")
    )
    return {"consent_id": str(consent_id), "withdrawn_on": body.withdrawn_on}
