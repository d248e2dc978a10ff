"""What every intake route needs: the caller, the pool, the event writer, the purpose.

Case work is ``kasane.auth.roles.CaseWorker`` (相談員・コーディネーター・管理者), the
access log ``Auditor``; only the 開示請求 log has a role set of its own."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Request

from kasane.auth import Principal
from kasane.auth.dependencies import require_roles
from kasane.auth.roles import Auditor
from kasane.web.events import EventWriter

# A person's 開示請求 log: auditors, or a manager of an agency that may see the person.
AuditReader = Annotated[Principal, Depends(require_roles("auditor", "manager"))]

__all__ = ["AuditReader", "Auditor", "Events", "Pool", "PurposeHeader", "purpose"]


# async: FastAPI runs a plain ``def`` dependency in a worker thread, a thread hop per
# request for what is an attribute read.
async def get_pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


async def get_events(request: Request) -> EventWriter:
    events: EventWriter = request.app.state.events
    return events


Pool = Annotated[asyncpg.Pool, Depends(get_pool)]
Events = Annotated[EventWriter, Depends(get_events)]
# Why the caller touches the data, recorded on the audit row; each route has a default.
PurposeHeader = Annotated[str | None, Header(alias="X-Kasane-Purpose", max_length=200)]


def purpose(given: str | None, default: str) -> str:
    return given.strip() if given and given.strip() else default
