"""Events in (through the inbox, one transaction per event).

intake.ConsultationReceived with a ``concern_id``: the agency whose intake queued our
concern report may now read what was noticed (closing the 見守りネットワーク loop).
"""

from __future__ import annotations

import asyncpg

from community.store import concerns as concerns_store
from kasane.bus.dispatch import Dispatcher
from kasane.events.envelope import Envelope
from kasane.events.intake import ConsultationReceived

dispatch = Dispatcher()


@dispatch.on(ConsultationReceived)
async def consultation_received(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsultationReceived
) -> None:
    if event.concern_id is None:
        return
    await concerns_store.grant(conn, event.concern_id, event.agency_id, event.consultation_id)
