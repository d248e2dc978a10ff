"""What every referral route needs: the caller, the pool, the event writer, the clock."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from kasane.auth.roles import CaseWorker, CaseWorkerOrPartner
from kasane.clock import Clock, system_clock
from kasane.web.events import EventWriter

__all__ = ["CaseWorker", "CaseWorkerOrPartner", "Events", "Now", "Pool"]


def get_pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


def get_events(request: Request) -> EventWriter:
    events: EventWriter = request.app.state.events
    return events


Pool = Annotated[asyncpg.Pool, Depends(get_pool)]
Events = Annotated[EventWriter, Depends(get_events)]
# Due dates, overdue and consent validity follow "today", pinnable by tests.
Now = Annotated[Clock, Depends(system_clock)]
