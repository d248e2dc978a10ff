"""Request a referral (つなぎの依頼): one transaction that checks the case and the legal
basis, stores the request, audits it and publishes ReferralRequested."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from uuid import UUID

import asyncpg

from kasane.audit import audited, record_access
from kasane.auth import Principal
from kasane.clock import Clock
from kasane.events.referral import ReferralRequested
from kasane.ids import uuid7
from kasane.intake_view import store as intake_store
from kasane.web.events import EventWriter
from referral.domain.legal_basis import choose_legal_basis
from referral.domain.referrals import (
    NewReferral,
    Referral,
    check_not_self,
    check_referable,
    due_on,
    new_referral,
    receiver_of,
    requested_day,
)
from referral.settings import get_referral_settings
from referral.store import read_models, referrals
from referral.usecases._audit import entry


async def request_referral(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    request: NewReferral,
    clock: Clock,
) -> Referral:
    check_not_self(principal.agency, receiver_of(request.to_agency, request.to_program))
    work = partial(_request, events, principal, request, uuid7(), clock.now(), clock.today())
    denial = entry(principal, "case", request.case_id, "refer", "denied")
    return await audited(pool, denial, work)


async def _request(
    events: EventWriter,
    principal: Principal,
    request: NewReferral,
    referral_id: UUID,
    now: datetime,
    today: date,
    conn: asyncpg.Connection,
) -> Referral:
    found = await intake_store.opened_case(conn, request.case_id)
    accepted = await referrals.accepted_receivers(conn, request.case_id) if found else set()
    case = check_referable(principal.agency, found, accepted)
    requested_on = requested_day(request.requested_on, today, case)
    decision_id = request.support_meeting_decision_id
    receiver = receiver_of(request.to_agency, request.to_program)
    basis = choose_legal_basis(
        await intake_store.consents_of_case(conn, request.case_id),
        receiver,
        request.to_program,
        decision_id,
        today,
        case_id=request.case_id,
        decision=await read_models.get_meeting_decision(conn, decision_id) if decision_id else None,
    )
    referral = new_referral(
        referral_id,
        request,
        owner=case.lead_agency_id,
        sender=principal.agency,
        requested_by=principal.sub,
        basis=basis,
        requested_at=now,
        requested_on=requested_on,
        # The answer is due counted from the day the request was made, even when it is
        # entered later: the receiver's clock started then.
        due=due_on(requested_on, get_referral_settings().due_business_days),
    )
    await referrals.insert_referral(conn, referral)
    await record_access(
        conn, entry(principal, "referral", referral_id, "create", "allowed", basis.legal_basis)
    )
    await events.emit(conn, _requested(referral), agency_id=principal.agency)
    return referral


def _requested(referral: Referral) -> ReferralRequested:
    return ReferralRequested(
        referral_id=referral.referral_id,
        case_id=referral.case_id,
        from_agency_id=referral.from_agency_id,
        to_agency_id=referral.to_agency_id,
        to_program=referral.to_program,
        reason_codes=list(referral.reason_codes),
        legal_basis=referral.legal_basis,
        consent_id=referral.consent_id,
        support_meeting_decision_id=referral.support_meeting_decision_id,
        requested_at=referral.requested_at,
        requested_on=referral.requested_on,
        due_on=referral.due_on,
    )
