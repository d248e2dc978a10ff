"""Decide on a referral: accept, decline, complete (the receiver) or revoke (the sender or
a manager). Each is one transaction: check, change, audit, publish."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from uuid import UUID

import asyncpg

from kasane.audit import audited, record_access
from kasane.auth import Principal
from kasane.clock import Clock
from kasane.events.envelope import EventContract
from kasane.events.referral import (
    ReferralAccepted,
    ReferralCompleted,
    ReferralDeclined,
    ReferralRevoked,
)
from kasane.intake_view import store as intake_store
from kasane.web.events import EventWriter
from referral.domain.referrals import (
    Action,
    Referral,
    accepted_day,
    access_basis,
    check_acceptable,
    check_actor,
    check_visible,
    next_status,
)
from referral.store import referrals
from referral.usecases._audit import entry


async def accept(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    referral_id: UUID,
    clock: Clock,
    accepted_on: date | None = None,
) -> Referral:
    return await _decide("accept", pool, events, principal, referral_id, clock, None, accepted_on)


async def decline(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    referral_id: UUID,
    clock: Clock,
    reason_code: str,
) -> Referral:
    return await _decide("decline", pool, events, principal, referral_id, clock, reason_code)


async def complete(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    referral_id: UUID,
    clock: Clock,
    outcome_code: str,
) -> Referral:
    return await _decide("complete", pool, events, principal, referral_id, clock, outcome_code)


async def revoke(
    pool: asyncpg.Pool, events: EventWriter, principal: Principal, referral_id: UUID, clock: Clock
) -> Referral:
    return await _decide("revoke", pool, events, principal, referral_id, clock, None)


async def _decide(
    action: Action,
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    referral_id: UUID,
    clock: Clock,
    code: str | None,
    accepted_on: date | None = None,
) -> Referral:
    work = partial(_change, action, events, principal, referral_id, clock, code, accepted_on)
    denial = entry(principal, "referral", referral_id, action, "denied")
    return await audited(pool, denial, work)


async def _change(
    action: Action,
    events: EventWriter,
    principal: Principal,
    referral_id: UUID,
    clock: Clock,
    code: str | None,
    accepted_on: date | None,
    conn: asyncpg.Connection,
) -> Referral:
    found = await referrals.get_referral(conn, referral_id, for_update=True)
    referral = check_visible(principal.agency, found)
    revoke_reason = check_actor(action, principal.agency, principal.roles, referral.parties)
    next_status(action, referral.status)
    day = clock.today()
    if action == "accept":
        consents = await intake_store.consents_of_case(conn, referral.case_id)
        # The consent must hold now, when the receiver starts reading the case.
        check_acceptable(referral, consents, day)
        day = accepted_day(accepted_on, day, referral)
    # The revoke reason follows from who revokes; the other codes come from the request.
    event = await _apply(
        action, conn, referral, principal.agency, (clock.now(), day), code or revoke_reason
    )
    basis = access_basis(principal.agency, referral)
    await record_access(conn, entry(principal, "referral", referral_id, action, "allowed", basis))
    await events.emit(conn, event, agency_id=principal.agency)
    updated = await referrals.get_referral(conn, referral_id)
    assert updated is not None
    return updated


async def _apply(
    action: Action,
    conn: asyncpg.Connection,
    referral: Referral,
    agency: str,
    when: tuple[datetime, date],
    code: str | None,
) -> EventContract:
    """Store the new state and return the event that says so. ``when``: entered (now) and
    happened (the day)."""
    rid, case_id = referral.referral_id, referral.case_id
    now, day = when
    if action == "accept":
        await referrals.accept(conn, rid, now, day)
        return ReferralAccepted(
            referral_id=rid, case_id=case_id, by_agency_id=agency, accepted_at=now, accepted_on=day
        )
    assert code is not None  # decline and complete carry a code; revoke has its reason
    if action == "decline":
        await referrals.decline(conn, rid, now, code)
        return ReferralDeclined(
            referral_id=rid, case_id=case_id, by_agency_id=agency, declined_at=now, reason_code=code
        )
    if action == "complete":
        await referrals.complete(conn, rid, now, code)
        return ReferralCompleted(
            referral_id=rid, case_id=case_id, completed_at=now, outcome_code=code
        )
    await referrals.revoke(conn, rid, now, code)
    return ReferralRevoked(referral_id=rid, case_id=case_id, revoked_at=now, reason_code=code)
