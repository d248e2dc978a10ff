"""The projections of intake's events into the read model, for a service's dispatcher.

    dispatch = Dispatcher()
    intake_view.handlers.subscribe(dispatch, after={ConsentWithdrawn: revoke_referrals})

registers one handler per intake event. Each first updates the read model, then runs the
service's own follow-up for that event (if any) in the same inbox transaction, so the read
model and what the service did about it never disagree. The subscription to
``kasane.intake.v1`` is derived from these handlers like any other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

import asyncpg

from kasane.bus.dispatch import Dispatcher
from kasane.events.envelope import Envelope, EventContract
from kasane.events.intake import (
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ConsentRecorded,
    ConsentWithdrawn,
)
from kasane.intake_view import store

Handler = Callable[[asyncpg.Connection, Envelope, Any], Awaitable[None]]


async def case_opened(conn: asyncpg.Connection, envelope: Envelope, event: CaseOpened) -> None:
    await store.case_opened(conn, event.case_id, event.lead_agency_id, event.opened_on)


async def case_closed(conn: asyncpg.Connection, envelope: Envelope, event: CaseClosed) -> None:
    await store.case_closed(conn, event.case_id, event.closed_on)


async def case_reopened(conn: asyncpg.Connection, envelope: Envelope, event: CaseReopened) -> None:
    await store.case_reopened(conn, event.case_id, event.reopened_on)


async def consent_recorded(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsentRecorded
) -> None:
    await store.consent_recorded(conn, event)


async def consent_withdrawn(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsentWithdrawn
) -> None:
    await store.consent_withdrawn(conn, event.consent_id, event.case_id, event.withdrawn_on)


PROJECTIONS: Final[Mapping[type[EventContract], Handler]] = {
    CaseOpened: case_opened,
    CaseClosed: case_closed,
    CaseReopened: case_reopened,
    ConsentRecorded: consent_recorded,
    ConsentWithdrawn: consent_withdrawn,
}


def _then(project: Handler, follow_up: Handler | None) -> Handler:
    if follow_up is None:
        return project

    async def handle(conn: asyncpg.Connection, envelope: Envelope, event: Any) -> None:
        await project(conn, envelope, event)
        await follow_up(conn, envelope, event)

    return handle


def subscribe(
    dispatch: Dispatcher, *, after: Mapping[type[EventContract], Handler] | None = None
) -> None:
    """Register the projections on ``dispatch``; ``after[Contract]`` runs once the read model
    has the event (e.g. referral revokes the referrals resting on a withdrawn consent)."""
    after = after or {}
    unknown = set(after) - set(PROJECTIONS)
    if unknown:
        raise ValueError(f"no intake projection for {sorted(c.event_type for c in unknown)}")
    for contract, project in PROJECTIONS.items():
        dispatch.on(contract)(_then(project, after.get(contract)))
