"""支援経過記録: the case's dated timeline (contact, visit, call, note)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status

from intake.api import schemas
from intake.api.deps import Pool, PurposeHeader, purpose
from intake.api.schemas import created, ok
from intake.domain.cases import RecordIn
from intake.usecases import records
from kasane.auth.roles import CaseWorker
from kasane.types import IsoDatetime

router = APIRouter(tags=["支援経過記録 case records"])


@router.post(
    "/cases/{case_id}/records",
    status_code=status.HTTP_201_CREATED,
    responses=created(schemas.RecordCreated),
)
async def add_record(
    case_id: UUID, body: RecordIn, principal: CaseWorker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    record_id = await records.add_record(
        pool, principal, case_id, body, purpose(why, "支援経過の記録")
    )
    return {"record_id": str(record_id)}


@router.get("/cases/{case_id}/records", response_model=None, responses=ok(schemas.Records))
async def list_records(
    case_id: UUID,
    principal: CaseWorker,
    pool: Pool,
    after: IsoDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    """Oldest first; pass the last item's ``occurred_at`` as ``after`` for the next page."""
    rows = await records.list_records(
        pool, principal, case_id, after=after, limit=limit, purpose=purpose(why, "支援経過の閲覧")
    )
    items = [
        {
            "record_id": str(r.id),
            "kind": r.kind,
            "occurred_at": r.occurred_at,
            "body": r.body,
            "author_sub": r.author_sub,
            "author_agency": r.author_agency,
        }
        for r in rows
    ]
    return {"items": items, "next_after": items[-1]["occurred_at"] if len(items) == limit else None}
