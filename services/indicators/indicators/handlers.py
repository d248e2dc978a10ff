"""Events in: every topic, through the inbox (one transaction per event).

The same ``dispatch`` serves the live subscriber and ``kasane indicators rebuild``
(indicators/rebuild.py), so a replay applies exactly the code that built the model.
Handlers only insert one row per event; figures are computed when read.
"""

from __future__ import annotations

import asyncpg

from indicators import facts_store
from indicators.domain import fiscal_year_of_instant
from indicators.facts import fact_of
from kasane.bus.dispatch import Dispatcher
from kasane.events import all_contracts
from kasane.events.envelope import Envelope, EventContract
from kasane.events.intake import ConsultationReceived

dispatch = Dispatcher()


@dispatch.on(ConsultationReceived)
async def consultation_received(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsultationReceived
) -> None:
    await conn.execute(
        "INSERT INTO consultation_facts (event_id, consultation_id, agency_id, received_at,"
        " fiscal_year, is_complex, issue_codes, between_systems, channel)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        envelope.event_id,
        event.consultation_id,
        event.agency_id,
        event.received_at,
        fiscal_year_of_instant(event.received_at),
        event.is_complex,
        list(event.issue_codes),
        event.between_systems,
        event.channel,
    )


async def record_fact(conn: asyncpg.Connection, envelope: Envelope, event: EventContract) -> None:
    fact = fact_of(envelope, event)
    if fact is not None:
        await facts_store.insert(conn, fact)


# Every other published contract becomes one fact row (DESIGN.md 4: indicators hears all).
for _contracts in all_contracts().values():
    for _contract in _contracts:
        if _contract is not ConsultationReceived:
            dispatch.on(_contract)(record_fact)
