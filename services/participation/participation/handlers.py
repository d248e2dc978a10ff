"""Events in, each inside the inbox transaction: referrals into the program (enrolment and
its end when revoked), the meeting's decision on plans, and community's directory."""

from __future__ import annotations

import asyncpg

from kasane.bus.dispatch import Dispatcher
from kasane.clock import today_jst
from kasane.events.community import ResourcePublished, ResourceWithdrawn
from kasane.events.envelope import Envelope
from kasane.events.meetings import PlanApproved, PlanReturned
from kasane.events.referral import (
    ReferralAccepted,
    ReferralCompleted,
    ReferralDeclined,
    ReferralRequested,
    ReferralRevoked,
)
from kasane.settings import get_settings
from kasane.web.events import EventWriter
from participation.domain.participants import operator, operators
from participation.store import grants as grants_store
from participation.store import resources as resources_store
from participation.store.grants import Grant
from participation.usecases import lifecycle, plans, referrals

dispatch = Dispatcher()


def _writer() -> EventWriter:
    # Built per use: tests set the topic namespace in the environment before startup.
    settings = get_settings()
    return EventWriter("participation", settings.municipality_code, settings.topic_namespace)


def _trace(envelope: Envelope) -> lifecycle.Trace:
    return lifecycle.Trace(operator(), envelope.correlation_id, envelope.event_id)


@dispatch.on(ReferralRequested)
async def referral_requested(
    conn: asyncpg.Connection, envelope: Envelope, event: ReferralRequested
) -> None:
    # Only referrals that concern 参加支援 (into the program, or to アソウ directly).
    if event.to_program != "participation" and event.to_agency_id not in operators():
        return
    grant = Grant(
        referral_id=event.referral_id,
        case_id=event.case_id,
        from_agency_id=event.from_agency_id,
        to_agency_id=event.to_agency_id,
        to_program=event.to_program,
        legal_basis=event.legal_basis,
        status="requested",
        requested_on=event.requested_on,
    )
    await grants_store.upsert_grant(conn, grant)


@dispatch.on(ReferralAccepted)
async def referral_accepted(
    conn: asyncpg.Connection, envelope: Envelope, event: ReferralAccepted
) -> None:
    await referrals.accepted(
        conn,
        _writer(),
        _trace(envelope),
        event.referral_id,
        event.case_id,
        event.accepted_on,  # the day it was accepted, which may be before it was entered
    )


@dispatch.on(ReferralDeclined)
async def referral_declined(
    conn: asyncpg.Connection, envelope: Envelope, event: ReferralDeclined
) -> None:
    await grants_store.set_grant_status(conn, event.referral_id, "declined")


@dispatch.on(ReferralCompleted)
async def referral_completed(
    conn: asyncpg.Connection, envelope: Envelope, event: ReferralCompleted
) -> None:
    await grants_store.set_grant_status(conn, event.referral_id, "completed")


@dispatch.on(ReferralRevoked)
async def referral_revoked(
    conn: asyncpg.Connection, envelope: Envelope, event: ReferralRevoked
) -> None:
    await referrals.revoked(
        conn, _writer(), _trace(envelope), event.referral_id, today_jst(event.revoked_at)
    )


@dispatch.on(PlanApproved)
async def plan_approved(conn: asyncpg.Connection, envelope: Envelope, event: PlanApproved) -> None:
    if event.program != "participation":
        return
    await plans.record_decision(
        conn, event.plan_id, "approved", event.approved_on, event.meeting_id
    )


@dispatch.on(PlanReturned)
async def plan_returned(conn: asyncpg.Connection, envelope: Envelope, event: PlanReturned) -> None:
    if event.program != "participation":
        return
    await plans.record_decision(
        conn, event.plan_id, "returned", event.returned_on, event.meeting_id, event.reason_code
    )


@dispatch.on(ResourcePublished)
async def resource_published(
    conn: asyncpg.Connection, envelope: Envelope, event: ResourcePublished
) -> None:
    await resources_store.upsert_published(
        conn,
        event.resource_id,
        version=event.version,
        category=event.category,
        school_district_code=event.school_district_code,
        program_code=event.program_code,
        capacity=event.capacity,
        age_min=event.age_min,
        age_max=event.age_max,
    )


@dispatch.on(ResourceWithdrawn)
async def resource_withdrawn(
    conn: asyncpg.Connection, envelope: Envelope, event: ResourceWithdrawn
) -> None:
    await resources_store.withdraw(conn, event.resource_id, event.withdrawn_on)
