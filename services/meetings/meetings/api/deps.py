"""What every route needs: the pool, the event writer, the clock, and who is calling."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from kasane.auth import Principal
from kasane.auth.roles import (
    CaseWorker,
    CaseWorkerOrCity,
    CaseWorkerOrPartner,
    operator_staff,
)
from kasane.clock import Clock, system_clock
from kasane.web.events import EventWriter

__all__ = ["CaseWorker", "CaseWorkerOrPartner", "Coordinator", "Events", "Pool", "Reader", "Today"]


def pool(request: Request) -> asyncpg.Pool:
    value: asyncpg.Pool = request.app.state.pool
    return value


def events(request: Request) -> EventWriter:
    value: EventWriter = request.app.state.events
    return value


Pool = Annotated[asyncpg.Pool, Depends(pool)]
Events = Annotated[EventWriter, Depends(events)]
Today = Annotated[Clock, Depends(system_clock)]
# Schedules, counts and aggregates (no case detail): case workers and the city.
Reader = CaseWorkerOrCity  # (kasane.auth.roles)
# The pack and the minutes: also a 連携機関 invited for a case (domain.access decides what).
# Running the meetings: coordinators and managers of the 多機関協働 operator (社協); another
# agency's coordinator on /plans/{plan_id} is a refused attempt, audited.
Coordinator = Annotated[Principal, Depends(operator_staff("meetings"))]
