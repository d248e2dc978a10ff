"""community's FastAPI dependencies: who may call (roles), and the app's pool, outbox, clock.

社協 operates community (``kasane.reference.agencies.operators_of("community")``): its
coordinators and managers write reports and the directory. City roles read aggregates
(counts per 校区 and month), never a concern report's details.
"""

from __future__ import annotations

from typing import Annotated, Final

import asyncpg
from fastapi import Depends, HTTPException, Request

from kasane.auth import Principal
from kasane.auth.dependencies import audit_refusal, require_roles
from kasane.auth.roles import (
    CASE_WORK_ROLES,
    CITY_READER_ROLES,
    AnyStaff,
    CaseWorker,
    operator_staff,
)
from kasane.clock import Clock, system_clock
from kasane.reference.agencies import operators_of
from kasane.web.events import EventWriter

SERVICE: Final = "community"

# The operator's coordinators and managers: report and publish.
CommunityOperator = Annotated[Principal, Depends(operator_staff(SERVICE))]
# Who may report a program's activity: the operating staff of an organisation or a city
# section (coordinator/manager, city_official); the program's own operator is checked by the
# use case (community.domain.activity.check_operator), per program.
ProgramReporter = Annotated[
    Principal, Depends(require_roles("coordinator", "manager", "city_official"))
]
# Any of the operator's staff (case-work roles): takes 見守りネットワーク reports.
CommunityStaff = Annotated[Principal, Depends(operator_staff(SERVICE, *CASE_WORK_ROLES))]


async def _aggregate_reader(
    request: Request,
    principal: Annotated[Principal, Depends(require_roles(*CASE_WORK_ROLES, *CITY_READER_ROLES))],
) -> Principal:
    operators = {a.id for a in operators_of(SERVICE)}
    if principal.agency not in operators and not principal.has_any(*CITY_READER_ROLES):
        await audit_refusal(request, principal)
        raise HTTPException(
            403, "社協または市の担当者のみ / only 社協 staff and city officials may read"
        )
    return principal


# The operator's staff or a city official: may read aggregates (never a person).
AggregateReader = Annotated[Principal, Depends(_aggregate_reader)]
# Also used by the routers, from kasane.auth.roles: CaseWorker (any agency's case-work
# roles; a concern's details are then checked per record) and AnyStaff (any valid token:
# the directory and catalogs are public information, but never anonymous).
__all__ = [
    "AggregateReader",
    "AnyStaff",
    "CaseWorker",
    "CommunityOperator",
    "CommunityStaff",
    "Events",
    "Pool",
    "ProgramReporter",
    "Today",
]


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


def _events(request: Request) -> EventWriter:
    events: EventWriter = request.app.state.events
    return events


Pool = Annotated[asyncpg.Pool, Depends(_pool)]
Events = Annotated[EventWriter, Depends(_events)]
Today = Annotated[Clock, Depends(system_clock)]
