"""The service's side of publishing: wrap a contract and put it in the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from kasane.bus.outbox import enqueue, enqueue_write
from kasane.db.statement import Write
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
        envelope = self._wrap(contract, agency_id, correlation_id, causation_id)
        await enqueue(conn, envelope, topic=self.topic, key=contract.partition_key())
        return envelope

    def outbox_write(self, contracts: Sequence[EventContract], *, agency_id: str | None) -> Write:
        """The contracts' outbox rows, in order, as a part of the statement that makes the state
        change (``kasane.db.statement.write_all``): change and events in one round trip."""
        return enqueue_write(
            [
                (self._wrap(c, agency_id, None, None), self.topic, c.partition_key())
                for c in contracts
            ]
        )

    def _wrap(
        self,
        contract: EventContract,
        agency_id: str | None,
        correlation_id: UUID | None,
        causation_id: UUID | None,
    ) -> Envelope:
        if not contract.event_type.startswith(f"{self.service}."):
            raise ValueError(f"{self.service} cannot publish {contract.event_type}")
        return wrap(
            contract,
            producer=self.service,
            municipality_code=self._municipality,
            agency_id=agency_id,
            correlation_id=correlation_id,
            causation_id=causation_id,
        )
