"""referral's HTTP API. The acting agency always comes from the token."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, status

from kasane.types import IsoDate
from referral.api.deps import CaseWorker, CaseWorkerOrPartner, Events, Now, Pool
from referral.api.schemas import (
    AcceptIn,
    CompleteIn,
    DeclineIn,
    ReferralCreated,
    ReferralDetail,
    ReferralIn,
    ReferralList,
    detail,
    summary,
)
from referral.domain.referrals import Status
from referral.usecases import reading, requesting, transitions

router = APIRouter(prefix="/referrals", tags=["つなぎ referrals"])

# A 連携機関's staff (role partner) read and answer the referrals made to their organisation
# (list, read, accept, decline, complete); they never request or revoke one. The visibility
# rule (sender, receiver, owner) already limits them to referrals to them.


@router.post("", status_code=status.HTTP_201_CREATED)
async def request_referral(
    body: ReferralIn, principal: CaseWorker, pool: Pool, events: Events, clock: Now
) -> ReferralCreated:
    referral = await requesting.request_referral(pool, events, principal, body.to_domain(), clock)
    return ReferralCreated.of(referral)


@router.get("")
async def list_referrals(
    principal: CaseWorkerOrPartner,
    pool: Pool,
    clock: Now,
    agency: Annotated[str | None, Query(description="自機関のみ / your own agency")] = None,
    direction: Annotated[Literal["sent", "received"] | None, Query()] = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    overdue: Annotated[bool, Query(description="受理期限を過ぎた依頼中のみ")] = False,
    as_of: Annotated[IsoDate | None, Query(description="期限判定の基準日 (既定: 今日)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    case_id: Annotated[UUID | None, Query(description="このケースのつなぎのみ / one case")] = None,
) -> ReferralList:
    day = as_of or clock.today()
    query = reading.ListQuery(
        agency=agency,
        direction=direction,
        status=status_,
        overdue_as_of=day if overdue else None,
        limit=limit,
        case_id=case_id,
    )
    found = await reading.list_referrals(pool, principal, query)
    return ReferralList(as_of=day, items=[summary(r, day) for r in found])


@router.get("/{referral_id}")
async def get_referral(
    referral_id: UUID, principal: CaseWorkerOrPartner, pool: Pool, clock: Now
) -> ReferralDetail:
    referral = await reading.get_referral(pool, principal, referral_id)
    return detail(referral, clock.today())


@router.post("/{referral_id}/accept")
async def accept(
    referral_id: UUID,
    principal: CaseWorkerOrPartner,
    pool: Pool,
    events: Events,
    clock: Now,
    body: AcceptIn | None = None,
) -> ReferralDetail:
    accepted_on = None if body is None else body.accepted_on
    referral = await transitions.accept(pool, events, principal, referral_id, clock, accepted_on)
    return detail(referral, clock.today())


@router.post("/{referral_id}/decline")
async def decline(
    referral_id: UUID,
    body: DeclineIn,
    principal: CaseWorkerOrPartner,
    pool: Pool,
    events: Events,
    clock: Now,
) -> ReferralDetail:
    referral = await transitions.decline(
        pool, events, principal, referral_id, clock, body.reason_code
    )
    return detail(referral, clock.today())


@router.post("/{referral_id}/complete")
async def complete(
    referral_id: UUID,
    body: CompleteIn,
    principal: CaseWorkerOrPartner,
    pool: Pool,
    events: Events,
    clock: Now,
) -> ReferralDetail:
    referral = await transitions.complete(
        pool, events, principal, referral_id, clock, body.outcome_code
    )
    return detail(referral, clock.today())


@router.post("/{referral_id}/revoke")
async def revoke(
    referral_id: UUID, principal: CaseWorker, pool: Pool, events: Events, clock: Now
) -> ReferralDetail:
    referral = await transitions.revoke(pool, events, principal, referral_id, clock)
    return detail(referral, clock.today())
