"""referral's HTTP API. The acting agency always comes from the token."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel

from kasane.audit import AccessEntry, audited, record_access
from kasane.auth import Principal
from kasane.auth.dependencies import require_roles
from kasane.events.envelope import EventContract
from kasane.events.referral import (
    ReferralAccepted,
    ReferralCompleted,
    ReferralDeclined,
    ReferralRequested,
    ReferralRevoked,
)
from kasane.ids import uuid7
from kasane.types import IsoDate
from kasane.web.errors import Refused
from kasane.web.events import EventWriter
from referral import domain, store, views
from referral.clock import Clock, system_clock
from referral.settings import get_referral_settings

router = APIRouter(prefix="/referrals", tags=["つなぎ referrals"])

CaseWorker = Annotated[Principal, Depends(require_roles("counselor", "coordinator", "manager"))]
Now = Annotated[Clock, Depends(system_clock)]

_NOT_FOUND = "つなぎが見つかりません / referral not found"
_PURPOSE = "つなぎ"


class ReferralCreated(BaseModel):
    referral_id: UUID
    status: str
    legal_basis: str
    consent_id: UUID | None
    support_meeting_decision_id: UUID | None
    due_on: IsoDate


def _entry(
    principal: Principal,
    record_type: str,
    record_id: UUID,
    action: str,
    outcome: str,
    legal_basis: str | None = None,
) -> AccessEntry:
    return AccessEntry.by(
        principal,
        record_type=record_type,
        record_id=str(record_id),
        action=action,
        purpose=_PURPOSE,
        outcome=outcome,
        legal_basis=legal_basis,
    )


def _basis_for(agency: str, row: asyncpg.Record) -> str:
    # The owner and the sender read their own work; the receiver reads on the referral's basis.
    if agency in (row["owner_agency_id"], row["from_agency_id"]):
        return "owner"
    return str(row["legal_basis"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def request_referral(
    body: domain.ReferralIn, principal: CaseWorker, request: Request, clock: Now
) -> ReferralCreated:
    receiver = domain.receiver_of(body.to_agency, body.to_program)
    domain.check_not_self(principal.agency, receiver)
    events: EventWriter = request.app.state.events
    now, today = clock.now(), clock.today()
    referral_id = uuid7()

    async def work(conn: asyncpg.Connection) -> ReferralCreated:
        case = await store.get_case(conn, body.case_id)
        accepted = await store.accepted_receivers(conn, body.case_id) if case else set()
        if case is None or not domain.may_refer(principal.agency, case["lead_agency_id"], accepted):
            raise Refused(404, "case_id", "ケースが見つかりません / case not found")
        if case["closed_on"] is not None:
            raise Refused(409, "case_id", "終結したケースです / the case is closed")
        decision_id = body.support_meeting_decision_id
        basis = domain.choose_legal_basis(
            await store.consents_of_case(conn, body.case_id),
            receiver,
            body.to_program,
            decision_id,
            today,
            case_id=body.case_id,
            decision=await store.get_meeting_decision(conn, decision_id) if decision_id else None,
        )
        due = domain.due_on(today, get_referral_settings().due_business_days)
        await store.insert_referral(
            conn,
            {
                "referral_id": referral_id,
                "case_id": body.case_id,
                "owner_agency_id": case["lead_agency_id"],
                "from_agency_id": principal.agency,
                "to_agency_id": body.to_agency,
                "to_program": body.to_program,
                "receiver_agency_id": receiver,
                "reason_codes": body.reason_codes,
                "note": body.note,
                "legal_basis": basis.legal_basis,
                "consent_id": basis.consent_id,
                "support_meeting_decision_id": basis.support_meeting_decision_id,
                "status": "requested",
                "requested_at": now,
                "requested_by": principal.sub,
                "due_on": due,
            },
        )
        await record_access(
            conn,
            _entry(principal, "referral", referral_id, "create", "allowed", basis.legal_basis),
        )
        await events.emit(
            conn,
            ReferralRequested(
                referral_id=referral_id,
                case_id=body.case_id,
                from_agency_id=principal.agency,
                to_agency_id=body.to_agency,
                to_program=body.to_program,
                reason_codes=body.reason_codes,
                legal_basis=basis.legal_basis,
                consent_id=basis.consent_id,
                support_meeting_decision_id=basis.support_meeting_decision_id,
                requested_at=now,
                due_on=due,
            ),
            agency_id=principal.agency,
        )
        return ReferralCreated(
            referral_id=referral_id,
            status="requested",
            legal_basis=basis.legal_basis,
            consent_id=basis.consent_id,
            support_meeting_decision_id=basis.support_meeting_decision_id,
            due_on=due,
        )

    denial = _entry(principal, "case", body.case_id, "refer", "denied")
    return await audited(request.app.state.pool, denial, work)


@router.get("")
async def list_referrals(
    principal: CaseWorker,
    request: Request,
    clock: Now,
    agency: Annotated[str | None, Query(description="自機関のみ / your own agency")] = None,
    direction: Annotated[Literal["sent", "received"] | None, Query()] = None,
    status_: Annotated[domain.Status | None, Query(alias="status")] = None,
    overdue: Annotated[bool, Query(description="受理期限を過ぎた依頼中のみ")] = False,
    as_of: Annotated[IsoDate | None, Query(description="期限判定の基準日 (既定: 今日)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> views.ReferralList:
    if agency is not None and agency != principal.agency:
        raise Refused(
            403, "agency", "自機関のつなぎのみ一覧できます / you may list only your own agency"
        )
    day = as_of or clock.today()
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        rows = await store.list_for_agency(
            conn,
            principal.agency,
            direction=direction,
            status=status_,
            overdue_as_of=day if overdue else None,
            limit=limit,
        )
        for row in rows:
            await record_access(
                conn,
                _entry(
                    principal,
                    "referral",
                    row["referral_id"],
                    "list",
                    "allowed",
                    _basis_for(principal.agency, row),
                ),
            )
    return views.ReferralList(as_of=day, items=[views.summary(r, day) for r in rows])


@router.get("/{referral_id}")
async def get_referral(
    referral_id: UUID, principal: CaseWorker, request: Request, clock: Now
) -> views.ReferralDetail:
    async def work(conn: asyncpg.Connection) -> views.ReferralDetail:
        row = await store.get_referral(conn, referral_id)
        if row is None or not domain.can_see(principal.agency, store.parties(row)):
            raise Refused(404, "referral_id", _NOT_FOUND)
        await record_access(
            conn,
            _entry(
                principal,
                "referral",
                referral_id,
                "read",
                "allowed",
                _basis_for(principal.agency, row),
            ),
        )
        return views.detail(row, clock.today())

    denial = _entry(principal, "referral", referral_id, "read", "denied")
    return await audited(request.app.state.pool, denial, work)


async def _transition(
    action: domain.Action,
    referral_id: UUID,
    principal: Principal,
    request: Request,
    clock: Clock,
    code: str | None = None,
) -> views.ReferralDetail:
    events: EventWriter = request.app.state.events
    now = clock.now()

    async def work(conn: asyncpg.Connection) -> views.ReferralDetail:
        row = await store.get_referral(conn, referral_id, for_update=True)
        if row is None or not domain.can_see(principal.agency, store.parties(row)):
            raise Refused(404, "referral_id", _NOT_FOUND)
        parties = store.parties(row)
        revoke_reason = domain.check_actor(action, principal.agency, principal.roles, parties)
        domain.next_status(action, parties.status)
        case_id = row["case_id"]
        event: EventContract
        if action == "accept":
            if row["legal_basis"] == "consent" and not domain.consent_still_holds(
                await store.consents_of_case(conn, case_id),
                row["consent_id"],
                parties.receiver,
                row["to_program"],
                clock.today(),
            ):
                raise Refused(
                    409,
                    "consent",
                    "依頼の根拠だった本人同意が有効ではなくなりました / the consent this "
                    "referral rests on is no longer valid",
                )
            await store.accept(conn, referral_id, now)
            event = ReferralAccepted(
                referral_id=referral_id,
                case_id=case_id,
                by_agency_id=principal.agency,
                accepted_at=now,
            )
        elif action == "decline":
            assert code is not None
            await store.decline(conn, referral_id, now, code)
            event = ReferralDeclined(
                referral_id=referral_id,
                case_id=case_id,
                by_agency_id=principal.agency,
                declined_at=now,
                reason_code=code,
            )
        elif action == "complete":
            assert code is not None
            await store.complete(conn, referral_id, now, code)
            event = ReferralCompleted(
                referral_id=referral_id, case_id=case_id, completed_at=now, outcome_code=code
            )
        else:
            assert revoke_reason is not None
            await store.revoke(conn, referral_id, now, revoke_reason)
            event = ReferralRevoked(
                referral_id=referral_id,
                case_id=case_id,
                revoked_at=now,
                reason_code=revoke_reason,
            )
        await record_access(
            conn,
            _entry(
                principal,
                "referral",
                referral_id,
                action,
                "allowed",
                _basis_for(principal.agency, row),
            ),
        )
        await events.emit(conn, event, agency_id=principal.agency)
        updated = await store.get_referral(conn, referral_id)
        assert updated is not None
        return views.detail(updated, clock.today())

    denial = _entry(principal, "referral", referral_id, action, "denied")
    return await audited(request.app.state.pool, denial, work)


@router.post("/{referral_id}/accept")
async def accept(
    referral_id: UUID, principal: CaseWorker, request: Request, clock: Now
) -> views.ReferralDetail:
    return await _transition("accept", referral_id, principal, request, clock)


@router.post("/{referral_id}/decline")
async def decline(
    referral_id: UUID, body: domain.DeclineIn, principal: CaseWorker, request: Request, clock: Now
) -> views.ReferralDetail:
    return await _transition("decline", referral_id, principal, request, clock, body.reason_code)


@router.post("/{referral_id}/complete")
async def complete(
    referral_id: UUID, body: domain.CompleteIn, principal: CaseWorker, request: Request, clock: Now
) -> views.ReferralDetail:
    return await _transition("complete", referral_id, principal, request, clock, body.outcome_code)


@router.post("/{referral_id}/revoke")
async def revoke(
    referral_id: UUID, principal: CaseWorker, request: Request, clock: Now
) -> views.ReferralDetail:
    return await _transition("revoke", referral_id, principal, request, clock)
