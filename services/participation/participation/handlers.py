"""Events in, each inside the inbox transaction: referrals into the program (enrolment and
its end when revoked), the meeting's decision on plans, and community's directory."""

from __future__ import annotations

import uuid
from uuid import UUID

import asyncpg

from kasane.bus.dispatch import Dispatcher
from kasane.clock import JST
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
from participation import codes, lifecycle, resources_store
from participation import participants_store as store
from participation.participants import OPERATOR

# A participant enrolled from a referral gets an id derived from it, so a rebuild from
# offset 0 gives the same ids.
_PARTICIPANT_NS = UUID("5a3f0a52-7d0e-4a8e-9a51-6b1f4c2d9e01")

dispatch = Dispatcher()


def _writer() -> EventWriter:
    # Built per use: tests set the topic namespace in the environment before startup.
    settings = get_settings()
    return EventWriter("participation", settings.municipality_code, settings.topic_namespace)


def _trace(envelope: Envelope) -> lifecycle.Trace:
    return lifecycle.Trace(OPERATOR, envelope.correlation_id, envelope.event_id)


def participant_id_for(referral_id: UUID) -> UUID:
    return uuid.uuid5(_PARTICIPANT_NS, str(referral_id))


@dispatch.on(ReferralRequested)
async def referral_requested(
    conn: asyncpg.Connection, envelope: Envelope, event: ReferralRequested
) -> None:
    # Only referrals that concern 参加支援 (into the program, or to アソウ directly).
    if event.to_program != "participation" and event.to_agency_id != OPERATOR:
        return
    await store.upsert_grant(
        conn,
        {
            "referral_id": event.referral_id,
            "case_id": event.case_id,
            "from_agency_id": event.from_agency_id,
            "to_agency_id": event.to_agency_id,
            "to_program": event.to_program,
            "legal_basis": event.legal_basis,
            "status": "requested",
        },
    )


@dispatch.on(ReferralAccepted)
async def referral_accepted(
    conn: asyncpg.Connection, envelope: Envelope, event: ReferralAccepted
) -> None:
    grant = await store.set_grant_status(conn, event.referral_id, "accepted")
    if grant is None or grant["to_program"] != "participation":
        return  # not ours, or a referral to アソウ as an agency: staff enrol it by hand
    if await store.participant_of_referral(conn, event.referral_id) is not None:
        return
    await lifecycle.enrol(
        conn,
        _writer(),
        _trace(envelope),
        participant_id=participant_id_for(event.referral_id),
        case_id=event.case_id,
        started_on=event.accepted_at.astimezone(JST).date(),
        legal_basis=grant["legal_basis"],
        referral_id=event.referral_id,
        referring_agency_id=grant["from_agency_id"],
    )


@dispatch.on(ReferralDeclined)
async def referral_declined(
    conn: asyncpg.Connection, envelope: Envelope, event: ReferralDeclined
) -> None:
    await store.set_grant_status(conn, event.referral_id, "declined")


@dispatch.on(ReferralCompleted)
async def referral_completed(
    conn: asyncpg.Connection, envelope: Envelope, event: ReferralCompleted
) -> None:
    await store.set_grant_status(conn, event.referral_id, "completed")


@dispatch.on(ReferralRevoked)
async def referral_revoked(
    conn: asyncpg.Connection, envelope: Envelope, event: ReferralRevoked
) -> None:
    await store.set_grant_status(conn, event.referral_id, "revoked")
    participant = await store.participant_of_referral(conn, event.referral_id)
    if participant is None or participant["status"] in ("ended", "revoked"):
        return
    # The sharing basis is gone: the participation ends and its content is closed.
    await lifecycle.end(
        conn,
        _writer(),
        _trace(envelope),
        participant,
        status="revoked",
        ended_on=event.revoked_at.astimezone(JST).date(),
        outcome=codes.REFERRAL_REVOKED,
    )


@dispatch.on(PlanApproved)
async def plan_approved(conn: asyncpg.Connection, envelope: Envelope, event: PlanApproved) -> None:
    if event.program != "participation":
        return
    decided = await store.decide_plan(
        conn, event.plan_id, "approved", event.approved_on, event.meeting_id, None
    )
    if decided is not None:
        await store.advance(conn, decided["participant_id"], "plan_submitted", "active")


@dispatch.on(PlanReturned)
async def plan_returned(conn: asyncpg.Connection, envelope: Envelope, event: PlanReturned) -> None:
    if event.program != "participation":
        return
    decided = await store.decide_plan(
        conn, event.plan_id, "returned", event.returned_on, event.meeting_id, event.reason_code
    )
    if decided is not None:
        await store.advance(conn, decided["participant_id"], "plan_submitted", "enrolled")


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
