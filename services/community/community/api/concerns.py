"""見守りネットワーク concern reports: take one (ConcernReported), list, read (audited)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from community.api.deps import CaseWorker, CommunityStaff, Events, Pool, Today
from community.api.schemas import ConcernCreated, ConcernOut, ConcernSummary
from community.domain.concerns import ConcernIn
from community.usecases import concerns
from kasane.types import IsoDate

router = APIRouter(prefix="/concerns", tags=["見守りネットワーク concern reports"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def report_concern(
    body: ConcernIn, principal: CommunityStaff, pool: Pool, events: Events, clock: Today
) -> ConcernCreated:
    concern_id = await concerns.report_concern(pool, events, principal, body, clock.today())
    return ConcernCreated(concern_id=str(concern_id))


@router.get("")
async def list_concerns(
    principal: CommunityStaff,
    pool: Pool,
    since: Annotated[IsoDate | None, Query(description="この日以降の通報")] = None,
) -> list[ConcernSummary]:
    return [ConcernSummary.of(c) for c in await concerns.list_concerns(pool, principal, since)]


@router.get("/{concern_id}")
async def read_concern(concern_id: UUID, principal: CaseWorker, pool: Pool) -> ConcernOut:
    return ConcernOut.of(await concerns.read_concern(pool, principal, concern_id))
