"""GET /queue: 見守りネットワーク concerns waiting for my agency (codes only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from intake.api import schemas
from intake.api.deps import Pool
from intake.api.schemas import ok
from intake.usecases import queue
from kasane.auth.roles import CaseWorker
from kasane.types import Offset

router = APIRouter(tags=["受付待ち queue"])


@router.get("/queue", response_model=None, responses=ok(schemas.Queue))
async def pending_consultations(
    principal: CaseWorker,
    pool: Pool,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[Offset, Query()] = 0,
) -> dict[str, Any]:
    rows = await queue.pending_consultations(pool, principal, limit, offset)
    return {
        "items": [
            {
                "concern_id": str(r.concern_id),
                "school_district_code": r.school_district_code,
                "issue_codes": r.issue_codes,
                "urgency": r.urgency,
                "reported_on": r.reported_on,
            }
            for r in rows
        ],
        "limit": limit,
        "offset": offset,
    }
