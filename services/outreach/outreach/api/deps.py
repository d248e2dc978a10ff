"""What outreach routes need: the caller (by role and agency), the pool, the event writer,
the clock. The only home of the service's FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, HTTPException, Request

from kasane.auth import Principal
from kasane.auth.dependencies import require_roles
from kasane.auth.roles import CITY_READER_ROLES, OPERATOR_ROLES, operator_staff
from kasane.clock import Clock, system_clock
from kasane.reference.agencies import operators_of
from kasane.web.events import EventWriter

# Registers targets and works lists (creating reveals nothing, so another agency gets 403).
OperatorWorker = Annotated[Principal, Depends(operator_staff("outreach"))]
# Per-target URLs take kasane.auth.roles.OperatorStaff: the role is checked there, the agency
# per record (404 if not theirs, ``outreach.usecases.access``).

_OPERATORS = frozenset(a.id for a in operators_of("outreach"))


def aggregate_reader(
    principal: Annotated[Principal, Depends(require_roles(*OPERATOR_ROLES, *CITY_READER_ROLES))],
) -> Principal:
    # The operator's own staff, or the city; never another agency's coordinators.
    if principal.agency not in _OPERATORS and not principal.has_any(*CITY_READER_ROLES):
        raise HTTPException(403, "集計は社協または市のみ / aggregates: 社協 or the city only")
    return principal


AggregateReader = Annotated[Principal, Depends(aggregate_reader)]


def get_pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


def get_events(request: Request) -> EventWriter:
    events: EventWriter = request.app.state.events
    return events


Pool = Annotated[asyncpg.Pool, Depends(get_pool)]
Events = Annotated[EventWriter, Depends(get_events)]
# Pinnable in tests: ``app.dependency_overrides[kasane.clock.system_clock]``.
Today = Annotated[Clock, Depends(system_clock)]
