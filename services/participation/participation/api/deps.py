"""The service's FastAPI dependencies, in one place."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from kasane.auth.roles import AnyStaff, CaseWorker, OperatorStaff
from kasane.clock import Clock, system_clock
from kasane.web.events import EventWriter

__all__ = ["AnyStaff", "CaseWorker", "Events", "OperatorStaff", "Pool", "Today"]


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


def _events(request: Request) -> EventWriter:
    writer: EventWriter = request.app.state.events
    return writer


Pool = Annotated[asyncpg.Pool, Depends(_pool)]
Events = Annotated[EventWriter, Depends(_events)]
Today = Annotated[Clock, Depends(system_clock)]
