"""Events in (inbox transaction): concerns become queue items; referrals, meetings and plans
grant or revoke other agencies' access to a case (docs/architecture/access-rules.md).

Each handler is a projection of the event into intake's own tables (store functions)."""

from __future__ import annotations

import asyncpg

from intake.domain.routing import responsible_agency
from intake.store import grants, queue
from kasane.bus.dispatch import Dispatcher
from kasane.events.community import ConcernReported
from kasane.events.envelope import Envelope
from kasane.events.meetings import CaseDiscussed, PlanEnded, RolesAssigned
from kasane.events.referral import ReferralDeclined, ReferralRequested, ReferralRevoked
from kasane.reference.agencies import operator_of_program

dispatch = Dispatcher()


@dispatch.on(ConcernReported)
async def concern_reported(conn: asyncpg.Connection, env: Envelope, event: ConcernReported) -> None:
    await queue.add(
        conn,
        concern_id=event.concern_id,
        agency_id=responsible_agency(event.school_district_code, event.issue_codes),
        school_district_code=event.school_district_code,
        issue_codes=event.issue_codes,
        urgency=event.urgency,
        reported_on=event.reported_on,
        event_id=env.event_id,
    )


@dispatch.on(ReferralRequested)
async def referral_requested(
    conn: asyncpg.Connection, env: Envelope, event: ReferralRequested
) -> None:
    receiver = event.to_agency_id
    if receiver is None:
        if event.to_program is None:  # the contract sets exactly one of the two
            raise ValueError("ReferralRequested names neither an agency nor a program")
        receiver = operator_of_program(event.to_program)
    await grants.grant(
        conn,
        case_id=event.case_id,
        agency_id=receiver,
        source="referral",
        source_id=event.referral_id,
        legal_basis=event.legal_basis,
        consent_id=event.consent_id,
        at=env.occurred_at,
        event_id=env.event_id,
    )


@dispatch.on(ReferralDeclined)
async def referral_declined(
    conn: asyncpg.Connection, env: Envelope, event: ReferralDeclined
) -> None:
    await grants.revoke(conn, "referral", event.referral_id, env.occurred_at, "referral_declined")


@dispatch.on(ReferralRevoked)
async def referral_revoked(conn: asyncpg.Connection, env: Envelope, event: ReferralRevoked) -> None:
    await grants.revoke(conn, "referral", event.referral_id, env.occurred_at, "referral_revoked")


@dispatch.on(CaseDiscussed)
async def case_discussed(conn: asyncpg.Connection, env: Envelope, event: CaseDiscussed) -> None:
    for agency in event.member_agency_ids:
        await grants.grant(
            conn,
            case_id=event.case_id,
            agency_id=agency,
            source="meeting",
            source_id=event.agenda_item_id,
            legal_basis=event.legal_basis,
            consent_id=event.consent_id,
            at=env.occurred_at,
            event_id=env.event_id,
            # The decision's last day (v2); a later decision on the case grants anew.
            expires_on=event.access_until,
        )


@dispatch.on(RolesAssigned)
async def roles_assigned(conn: asyncpg.Connection, env: Envelope, event: RolesAssigned) -> None:
    # The event carries every role in force: an agency left out no longer works the case.
    await grants.revoke_others(
        conn, "plan", event.plan_id, [r.agency_id for r in event.roles], env.occurred_at
    )
    for role in event.roles:
        await grants.grant(
            conn,
            case_id=event.case_id,
            agency_id=role.agency_id,
            source="plan",
            source_id=event.plan_id,
            legal_basis="plan",
            consent_id=None,
            at=env.occurred_at,
            event_id=env.event_id,
        )


@dispatch.on(PlanEnded)
async def plan_ended(conn: asyncpg.Connection, env: Envelope, event: PlanEnded) -> None:
    await grants.revoke(conn, "plan", event.plan_id, env.occurred_at, "plan_ended")
    # The meetings' sharing of the case ends with its plan too (renewed by a later decision).
    await grants.end_meeting_grants(conn, event.case_id, env.occurred_at, "plan_ended")
