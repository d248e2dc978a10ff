"""intake's HTTP API (per agency: the agency always comes from the token)."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Request, status
from pydantic import BaseModel

from intake import store
from intake.domain import ConsultationIn, consultation_received
from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.auth.dependencies import require_roles
from kasane.ids import uuid7
from kasane.reference import agencies
from kasane.web.events import EventWriter

_CONSULTATION_AGENCIES = frozenset(a.id for a in agencies.consultation_agencies())

router = APIRouter(tags=["相談受付 consultations"])

CaseWorker = Annotated[Principal, Depends(require_roles("counselor", "coordinator", "manager"))]


class ConsultationCreated(BaseModel):
    consultation_id: str


@router.post("/consultations", status_code=status.HTTP_201_CREATED)
async def create_consultation(
    body: ConsultationIn, principal: CaseWorker, request: Request
) -> ConsultationCreated:
    if principal.agency not in _CONSULTATION_AGENCIES:
        raise HTTPException(
            403, "相談受付は相談支援機関のみ / only consultation agencies accept consultations"
        )
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    consultation_id = uuid7()
    event = consultation_received(consultation_id, principal.agency, body)
    # One transaction: the row, its audit entry and its event commit together or not at all.
    async with pool.acquire() as conn, conn.transaction():
        await store.insert_consultation(
            conn, consultation_id, principal.agency, body, event.is_complex, principal.sub
        )
        await record_access(
            conn,
            AccessEntry.by(
                principal,
                record_type="consultation",
                record_id=str(consultation_id),
                action="create",
                purpose="相談受付",
                outcome="allowed",
                legal_basis="owner",
            ),
        )
        await events.emit(conn, event, agency_id=principal.agency)
    return ConsultationCreated(consultation_id=str(consultation_id))
