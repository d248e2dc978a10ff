"""Targets: register, read (ETag), versioned PATCH (If-Match), list, end/hand over."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response, status

from kasane.auth.roles import OperatorStaff
from kasane.web.etag import etag
from outreach.api.deps import Events, OperatorWorker, Pool, Today
from outreach.api.schemas import TargetCreated, TargetOut, TargetSummary
from outreach.domain.ending import EndIn
from outreach.domain.targets import TargetIn, TargetPatch
from outreach.usecases import targets as usecases
from outreach.usecases.targets import TargetDetail

router = APIRouter(tags=["アウトリーチ対象 targets"])

IfMatch = Annotated[str | None, Header()]


def _tagged(detail: TargetDetail, response: Response) -> TargetOut:
    out = TargetOut.of(detail)
    response.headers["ETag"] = etag(out.version)
    return out


@router.post("/targets", status_code=status.HTTP_201_CREATED)
async def register_target(
    body: TargetIn, principal: OperatorWorker, pool: Pool, events: Events, clock: Today
) -> TargetCreated:
    target_id = await usecases.register_target(pool, events, principal, body, clock.today())
    return TargetCreated(target_id=str(target_id))


@router.get("/targets")
async def list_targets(
    principal: OperatorWorker,
    pool: Pool,
    status: Annotated[str | None, Query(pattern="^(open|ended)$")] = None,
    worker: Annotated[str | None, Query(max_length=100)] = None,
) -> list[TargetSummary]:
    items = await usecases.list_targets(pool, principal, status, worker)
    return [TargetSummary.of(i) for i in items]


@router.get("/targets/{target_id}")
async def read_target(
    target_id: UUID, principal: OperatorStaff, pool: Pool, response: Response
) -> TargetOut:
    return _tagged(await usecases.read_target(pool, principal, target_id), response)


@router.patch("/targets/{target_id}")
async def update_target(
    target_id: UUID,
    body: TargetPatch,
    principal: OperatorStaff,
    pool: Pool,
    events: Events,
    clock: Today,
    response: Response,
    if_match: IfMatch = None,
) -> TargetOut:
    detail = await usecases.update_target(
        pool, events, principal, target_id, body, if_match, clock.today()
    )
    return _tagged(detail, response)


@router.post("/targets/{target_id}/end")
async def end_target(
    target_id: UUID,
    body: EndIn,
    principal: OperatorStaff,
    pool: Pool,
    events: Events,
    clock: Today,
    response: Response,
    if_match: IfMatch = None,
) -> TargetOut:
    """終結: e.g. handed over through a referral (reason ``handed_over`` + ``referral_id``)."""
    detail = await usecases.end_target(
        pool, events, principal, target_id, body, if_match, clock.today()
    )
    return _tagged(detail, response)
