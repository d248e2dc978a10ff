"""The service's side of publishing: wrap a contract and put it in the outbox."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from kasane.bus.outbox import enqueue
from kasane.events.envelope import Envelope, EventContract, wrap
from kasane.events.topics import topic_for


class EventWriter:
    def __init__(self, service: str, municipality_code: str, namespace: str = "") -> None:
        self.service = service
        self.topic = topic_for(service, namespace)
        self._municipality = municipality_code

    async def emit(
        self,
        conn: asyncpg.Connection,
        contract: EventContract,
        *,
        agency_id: str | None,
        correlation_id: UUID | None = None,
        causation_id: UUID | None = None,
    ) -> Envelope:
        if not contract.event_type.startswith(f"{self.service}."):
            raise ValueError(f"{self.service} cannot publish {contract.event_type}")
        envelope = wrap(
            contract,
            producer=self.service,
            municipality_code=self._municipality,
            agency_id=agency_id,
            correlation_id=correlation_id,
            causation_id=causation_id,
        )
        await enqueue(conn, envelope, topic=self.topic, key=contract.partition_key())
        return envelope
