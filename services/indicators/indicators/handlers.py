"""Events in: every topic, through the inbox (one transaction per batch of events).

The same ``dispatch`` serves the live subscriber and ``kasane indicators rebuild``
(indicators/usecases/rebuild.py), so a replay applies exactly the code that built the model.
Handlers only insert one row per event (a pure projection: store functions, no use case);
figures are computed when read.
"""

from __future__ import annotations

import asyncpg

from indicators.domain.facts import fact_of
from indicators.store import facts
from kasane.bus.dispatch import Dispatcher
from kasane.events import all_contracts
from kasane.events.envelope import Envelope, EventContract
from kasane.events.intake import ConsultationReceived

dispatch = Dispatcher()


@dispatch.on(ConsultationReceived)
async def consultation_received(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsultationReceived
) -> None:
    await facts.insert_consultation(conn, envelope, event)


async def record_fact(conn: asyncpg.Connection, envelope: Envelope, event: EventContract) -> None:
    fact = fact_of(envelope, event)
    if fact is not None:
        await facts.insert(conn, fact)


# Every other published contract becomes one fact row: indicators hears every producer.
for _contracts in all_contracts().values():
    for _contract in _contracts:
        if _contract is not ConsultationReceived:
            dispatch.on(_contract)(record_fact)
