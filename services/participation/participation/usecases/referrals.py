"""Referrals into 参加支援 (events in, inside the inbox transaction): an accepted referral
into the program enrols the person; a revoked one ends the participation as ``revoked``."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from kasane.web.events import EventWriter
from participation.domain import codes
from participation.domain.participants import participant_id_for
from participation.store import grants as grants_store
from participation.store import participants as store
from participation.store.participants import Participant
from participation.usecases import lifecycle


async def accepted(
    conn: asyncpg.Connection,
    writer: EventWriter,
    trace: lifecycle.Trace,
    referral_id: UUID,
    case_id: UUID,
    accepted_on: date,
) -> None:
    grant = await grants_store.set_grant_status(conn, referral_id, "accepted")
    if grant is None or grant.to_program != "participation":
        return  # not ours, or a referral to アソウ as an agency: staff enrol it by hand
    if await store.participant_of_referral(conn, referral_id) is not None:
        return
    participant = Participant(
        participant_id=participant_id_for(referral_id),
        case_id=case_id,
        referral_id=referral_id,
        meeting_decision_id=None,
        legal_basis=grant.legal_basis,
        referring_agency_id=grant.from_agency_id,
        status="enrolled",
        age_band=None,
        school_district_code=None,
        started_on=accepted_on,
    )
    await lifecycle.enrol(conn, writer, trace, participant)


async def revoked(
    conn: asyncpg.Connection,
    writer: EventWriter,
    trace: lifecycle.Trace,
    referral_id: UUID,
    revoked_on: date,
) -> None:
    await grants_store.set_grant_status(conn, referral_id, "revoked")
    participant = await store.participant_of_referral(conn, referral_id)
    if participant is None or participant.status in ("ended", "revoked"):
        return
    # The sharing basis is gone: the participation ends and its content is closed.
    await lifecycle.end(
        conn,
        writer,
        trace,
        participant,
        status="revoked",
        ended_on=revoked_on,
        outcome=codes.REFERRAL_REVOKED,
    )
