"""Events in: every topic, through the inbox (one transaction per event)."""

from __future__ import annotations

import asyncpg

from indicators.domain import fiscal_year_of_instant
from kasane.events import EventRegistry, ParsedEvent, all_contracts
from kasane.events.intake import ConsultationReceived

# Every published contract parses; types without a read-model rule yet are still recorded in
# the inbox (so a rebuild later sees the same history) and otherwise ignored.
registry = EventRegistry(c for contracts in all_contracts().values() for c in contracts)


async def handle(conn: asyncpg.Connection, event: ParsedEvent) -> None:
    contract = event.contract
    if isinstance(contract, ConsultationReceived):
        await conn.execute(
            "INSERT INTO consultation_facts (event_id, consultation_id, agency_id, received_at,"
            " fiscal_year, is_complex) VALUES ($1, $2, $3, $4, $5, $6)",
            event.envelope.event_id,
            contract.consultation_id,
            contract.agency_id,
            contract.received_at,
            fiscal_year_of_instant(contract.received_at),
            contract.is_complex,
        )
