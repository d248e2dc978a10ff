"""Access audit: the auditor's list, chain verification, and a person's 開示請求 log."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request

from intake.api import schemas
from intake.api.deps import Auditor, AuditReader, Pool, PurposeHeader, purpose
from intake.api.schemas import ok
from intake.domain.models import AuditRow, GrantRecord
from intake.usecases import audit
from kasane.types import IsoDatetime, Seq, Token

router = APIRouter(tags=["アクセス記録 access audit"])

Limit = Annotated[int, Query(ge=1, le=500)]


def _row(r: AuditRow, with_staff: bool = True) -> dict[str, Any]:
    out = {
        "seq": r.seq,  # chain position; None while the row waits for the sealer (< 1 s)
        "sealed": r.seq is not None,
        "at": r.at,
        "actor_agency": r.actor_agency,
        "record_type": r.record_type,
        "record_id": r.record_id,
        "subject_id": r.subject_id,
        "action": r.action,
        "purpose": r.purpose,
        "legal_basis": r.legal_basis,
        "outcome": r.outcome,
    }
    if with_staff:
        out["actor_sub"] = r.actor_sub
    return out


def _grant(r: GrantRecord) -> dict[str, Any]:
    return {
        "case_id": str(r.case_id),
        "agency_id": r.agency_id,
        "source": r.source,  # referral | meeting | plan
        "source_id": str(r.source_id),
        "legal_basis": r.legal_basis,
        "consent_id": str(r.consent_id) if r.consent_id else None,
        "granted_at": r.granted_at,
        "access_until": r.expires_on,  # last day (meeting decisions); None: until ended
        "ended_at": r.revoked_at,
        "end_reason": r.end_reason,
    }


@router.get("/audit", response_model=None, responses=ok(schemas.AuditPage))
async def list_audit(
    principal: Auditor,
    pool: Pool,
    actor_agency: Token | None = None,
    record_type: Token | None = None,
    since: IsoDatetime | None = None,
    until: IsoDatetime | None = None,
    after_seq: Annotated[Seq, Query()] = 0,
    limit: Limit = 100,
) -> dict[str, Any]:
    rows = await audit.list_audit(
        pool,
        actor_agency=actor_agency,
        record_type=record_type,
        since=since,
        until=until,
        after_seq=after_seq,
        limit=limit,
    )
    items = [_row(r) for r in rows]
    return {"items": items, "next_after_seq": _next_after_seq(items, limit)}


def _next_after_seq(items: list[dict[str, Any]], limit: int) -> int | None:
    # A full page ending in sealed rows continues after its last seq; pending rows come
    # only at the very end, so a page that reaches them is the last one for now.
    last: int | None = items[-1]["seq"] if len(items) == limit else None
    return last


@router.get("/audit/verify", response_model=None, responses=ok(schemas.AuditVerified))
async def verify_audit(principal: Auditor, pool: Pool, request: Request) -> dict[str, Any]:
    """Recompute the hash chain over every sealed row and compare it with the last signed
    head the sealer exported (改ざん・末尾削除の検知). ``rows`` counts sealed rows;
    ``pending`` the committed rows the sealer has not linked yet."""
    return await audit.verify_audit(pool, request.app.state.settings)


@router.get("/persons/{person_id}/access-log", response_model=None, responses=ok(schemas.AccessLog))
async def person_access_log(
    person_id: UUID,
    principal: AuditReader,
    pool: Pool,
    after_seq: Annotated[Seq, Query()] = 0,
    limit: Limit = 200,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    """開示請求: who accessed this person's data. Auditors see it all; an agency manager may
    produce it for a person their agency may see (that read is itself audited)."""
    log = await audit.person_access_log(
        pool,
        principal,
        person_id,
        after_seq=after_seq,
        limit=limit,
        purpose=purpose(why, "開示請求対応"),
    )
    items = [_row(r, with_staff=log.with_staff) for r in log.rows]
    return {
        "person_id": str(person_id),
        "items": items,
        # Who else was let into the person's cases, on which basis, and until when.
        "grants": [_grant(g) for g in log.grants],
        "next_after_seq": _next_after_seq(items, limit),
    }
