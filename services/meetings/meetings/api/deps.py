"""What every route needs: the pool, the event writer, the clock, and who is calling."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, HTTPException, Request

from kasane.auth import Principal
from kasane.auth.dependencies import audit_refusal, require_roles
from kasane.web.events import EventWriter
from meetings.clock import Clock, system_clock
from meetings.domain.access import AGGREGATE_ROLES, CASE_ROLES, is_coordinator


def pool(request: Request) -> asyncpg.Pool:
    value: asyncpg.Pool = request.app.state.pool
    return value


def events(request: Request) -> EventWriter:
    value: EventWriter = request.app.state.events
    return value


async def _coordinator(
    request: Request,
    principal: Annotated[Principal, Depends(require_roles("coordinator", "manager"))],
) -> Principal:
    if not is_coordinator(principal.agency):
        # Another agency's coordinator on /plans/{plan_id}: a refused attempt, audited.
        await audit_refusal(request, principal)
        raise HTTPException(
            403,
            "多機関協働事業者（社協）のみ / only the 多機関協働 operator (shakyo) may do this",
        )
    return principal


Pool = Annotated[asyncpg.Pool, Depends(pool)]
Events = Annotated[EventWriter, Depends(events)]
Today = Annotated[Clock, Depends(system_clock)]
# Case detail: counselors, coordinators and managers of any agency (access rules decide more).
CaseWorker = Annotated[Principal, Depends(require_roles(*CASE_ROLES))]
# Schedules, counts and aggregates (no case detail): case workers and the city.
Reader = Annotated[Principal, Depends(require_roles(*CASE_ROLES, *AGGREGATE_ROLES))]
# Running the meetings: 社協's coordinators and managers.
Coordinator = Annotated[Principal, Depends(_coordinator)]
