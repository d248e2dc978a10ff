"""Events in, inside the inbox transaction: from kasane.intake.v1 the shared case and consent
read model, ``kasane.intake_view`` (a withdrawal revokes the open referrals that rely on it
in that same one); from kasane.meetings.v1 the decisions a referral may cite as its 支援会議
basis."""

from __future__ import annotations

import asyncpg

from kasane.bus.dispatch import Dispatcher
from kasane.events.envelope import Envelope
from kasane.events.intake import ConsentWithdrawn
from kasane.events.meetings import CaseDiscussed
from kasane.intake_view import handlers as intake_view
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


async def _revoke_referrals(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsentWithdrawn
) -> None:
    await consent_withdrawal.revoke_referrals(conn, _writer(), envelope, event)


# Intake's cases and consents: the shared read model; a withdrawal then revokes the open
# referrals resting on it, in the same transaction.
intake_view.subscribe(dispatch, after={ConsentWithdrawn: _revoke_referrals})


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
