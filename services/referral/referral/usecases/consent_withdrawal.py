"""A consent withdrawn at intake revokes the open referrals that rest on it, inside the
inbox transaction that records the withdrawal in the read model (``kasane.intake_view``
records it first), so the two never disagree."""

from __future__ import annotations

import asyncpg

from kasane.events.envelope import Envelope
from kasane.events.intake import ConsentWithdrawn
from kasane.events.referral import ReferralRevoked
from kasane.web.events import EventWriter
from referral.domain import codes
from referral.store import referrals


async def revoke_referrals(
    conn: asyncpg.Connection, writer: EventWriter, envelope: Envelope, event: ConsentWithdrawn
) -> None:
    # Replays must give the same result, so the time comes from the event, not the clock.
    revoked_at = envelope.occurred_at
    for referral in await referrals.open_referrals_on_consent(conn, event.consent_id):
        await referrals.revoke(
            conn, referral.referral_id, revoked_at, codes.REVOKE_CONSENT_WITHDRAWN
        )
        await writer.emit(
            conn,
            ReferralRevoked(
                referral_id=referral.referral_id,
                case_id=referral.case_id,
                revoked_at=revoked_at,
                reason_code=codes.REVOKE_CONSENT_WITHDRAWN,
            ),
            agency_id=envelope.agency_id,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
        )
