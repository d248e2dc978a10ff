"""Events in: every topic, through the inbox (one transaction per event)."""

from __future__ import annotations

import asyncpg

from indicators.domain import fiscal_year_of_instant
from kasane.bus.dispatch import Dispatcher
from kasane.events.envelope import Envelope
from kasane.events.intake import ConsultationReceived

dispatch = Dispatcher()


@dispatch.on(ConsultationReceived)
async def consultation_received(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsultationReceived
) -> None:
    await conn.execute(
        "INSERT INTO consultation_facts (event_id, consultation_id, agency_id, received_at,"
        " fiscal_year, is_complex) VALUES ($1, $2, $3, $4, $5, $6)",
        envelope.event_id,
        event.consultation_id,
        event.agency_id,
        event.received_at,
        fiscal_year_of_instant(event.received_at),
        event.is_complex,
    )
