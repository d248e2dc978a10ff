"""見守りネットワーク concern reports: take one (ConcernReported), list, read (audited)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel

from community import concerns_store as store
from community.access import ShakyoStaff, Staff
from community.clock import today_jst
from community.concerns import ConcernIn, concern_reported, may_read
from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.ids import uuid7
from kasane.types import IsoDate, IsoDatetime
from kasane.web.errors import Refused
from kasane.web.events import EventWriter

router = APIRouter(prefix="/concerns", tags=["見守りネットワーク concern reports"])

_RECORD = "concern"


class ConcernCreated(BaseModel):
    concern_id: str


class ConcernSummary(BaseModel):
    """Codes only: a list is not a read of anyone's details."""

    concern_id: str
    school_district_code: str
    reporter_type: str
    urgency: str
    issue_codes: list[str]
    reported_on: IsoDate
    queued_at: list[str]  # agencies whose intake queued it


class ConcernOut(BaseModel):
    concern_id: str
    agency_id: str
    school_district_code: str
    reporter_type: str
    urgency: str
    issue_codes: list[str]
    noticed: str
    location: str
    reporter_contact: str | None
    reported_on: IsoDate
    created_at: IsoDatetime


def _entry(principal: Principal, concern_id: UUID, action: str, outcome: str) -> AccessEntry:
    return AccessEntry.by(
        principal,
        record_type=_RECORD,
        record_id=str(concern_id),
        action=action,
        purpose="見守りネットワーク通報",
        outcome=outcome,
        legal_basis="owner" if principal.agency == "shakyo" else "concern_queue",
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def report_concern(
    body: ConcernIn, principal: ShakyoStaff, request: Request
) -> ConcernCreated:
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    concern_id = uuid7()
    reported_on = body.reported_on or today_jst()
    async with pool.acquire() as conn, conn.transaction():
        await store.insert(conn, concern_id, body, reported_on, principal.agency, principal.sub)
        await record_access(conn, _entry(principal, concern_id, "create", "allowed"))
        await events.emit(
            conn, concern_reported(concern_id, body, reported_on), agency_id=principal.agency
        )
    return ConcernCreated(concern_id=str(concern_id))


@router.get("")
async def list_concerns(
    principal: ShakyoStaff,
    request: Request,
    since: Annotated[IsoDate | None, Query(description="この日以降の通報")] = None,
) -> list[ConcernSummary]:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        rows = await store.listing(conn, principal.agency, since)
    return [
        ConcernSummary(
            concern_id=str(r["id"]),
            school_district_code=r["school_district_code"],
            reporter_type=r["reporter_type"],
            urgency=r["urgency"],
            issue_codes=list(r["issue_codes"]),
            reported_on=r["reported_on"],
            queued_at=list(r["queued_at"] or []),
        )
        for r in rows
    ]


@router.get("/{concern_id}")
async def read_concern(concern_id: UUID, principal: Staff, request: Request) -> ConcernOut:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        async with conn.transaction():
            row = await store.get(conn, concern_id)
            allowed = row is not None and may_read(
                principal.agency, row["agency_id"], await store.granted_agencies(conn, concern_id)
            )
            # Denials are recorded too; the 404 below is raised after this commits.
            await record_access(
                conn, _entry(principal, concern_id, "read", "allowed" if allowed else "denied")
            )
        if not allowed or row is None:
            raise Refused(404, "concern_id", "見つかりません / not found")
    return ConcernOut(
        concern_id=str(row["id"]),
        agency_id=row["agency_id"],
        school_district_code=row["school_district_code"],
        reporter_type=row["reporter_type"],
        urgency=row["urgency"],
        issue_codes=list(row["issue_codes"]),
        noticed=row["noticed"],
        location=row["location"],
        reporter_contact=row["reporter_contact"],
        reported_on=row["reported_on"],
        created_at=row["created_at"],
    )
