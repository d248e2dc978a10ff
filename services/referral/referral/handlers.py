"""Events in, inside the inbox transaction: from kasane.intake.v1 the case owner and consent
read models (a withdrawal revokes the open referrals that rely on it in that same one); from
kasane.meetings.v1 the decisions a referral may cite as its 支援会議 basis."""

from __future__ import annotations

import asyncpg

from kasane.bus.dispatch import Dispatcher
from kasane.consent import Consent
from kasane.events.envelope import Envelope
from kasane.events.intake import CaseClosed, CaseOpened, ConsentRecorded, ConsentWithdrawn
from kasane.events.meetings import CaseDiscussed
from kasane.settings import get_settings
from kasane.web.events import EventWriter
from referral.domain.legal_basis import MeetingDecision
from referral.store import read_models
from referral.usecases import consent_withdrawal

dispatch = Dispatcher()


def _writer() -> EventWriter:
    # Built per use: tests set the topic namespace in the environment before startup.
    settings = get_settings()
    return EventWriter("referral", settings.municipality_code, settings.topic_namespace)


@dispatch.on(CaseOpened)
async def case_opened(conn: asyncpg.Connection, envelope: Envelope, event: CaseOpened) -> None:
    await read_models.upsert_case(conn, event.case_id, event.lead_agency_id, event.opened_on)


@dispatch.on(CaseClosed)
async def case_closed(conn: asyncpg.Connection, envelope: Envelope, event: CaseClosed) -> None:
    await read_models.close_case(conn, event.case_id, event.closed_on)


@dispatch.on(ConsentRecorded)
async def consent_recorded(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsentRecorded
) -> None:
    await read_models.upsert_consent(
        conn,
        event.case_id,
        Consent(
            consent_id=event.consent_id,
            case_id=event.case_id,
            scope_agencies=frozenset(event.scope_agencies),
            scope_programs=frozenset(event.scope_programs),
            consented_on=event.consented_on,
            expires_on=event.expires_on,
            withdrawn_on=None,
        ),
    )


@dispatch.on(ConsentWithdrawn)
async def consent_withdrawn(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsentWithdrawn
) -> None:
    await consent_withdrawal.withdraw_consent(conn, _writer(), envelope, event)


@dispatch.on(CaseDiscussed)
async def case_discussed(
    conn: asyncpg.Connection, envelope: Envelope, event: CaseDiscussed
) -> None:
    if event.decision_id is None or event.outcome is None:
        return  # discussed without a decision: nothing a referral could cite
    await read_models.upsert_meeting_decision(
        conn,
        MeetingDecision(
            decision_id=event.decision_id,
            case_id=event.case_id,
            meeting_id=event.meeting_id,
            meeting_type=event.meeting_type,
            outcome=event.outcome,
            decided_on=event.discussed_on,
            member_agency_ids=frozenset(event.member_agency_ids),
            access_until=event.access_until,
        ),
    )
