"""The service's side of publishing: wrap a contract and put it in the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

import asyncpg

from kasane.bus.outbox import enqueue, enqueue_many, enqueue_write
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

    async def emit_all(
        self,
        conn: asyncpg.Connection,
        contracts: Sequence[EventContract],
        *,
        agency_id: str | None,
    ) -> list[Envelope]:
        """:meth:`emit` for each contract, in order, in one database round trip (a use case
        that announces several things at the end of its transaction)."""
        envelopes = [self._wrap(c, agency_id, None, None) for c in contracts]
        await enqueue_many(
            conn,
            [(e, self.topic, c.partition_key()) for e, c in zip(envelopes, contracts, strict=True)],
        )
        return envelopes

    def outbox_write(self, contracts: Sequence[EventContract], *, agency_id: str | None) -> Write:
        """:meth:`emit_all`'s outbox rows as a part of the statement that makes the state
        change (``kasane.db.statement.write_all``): change and events in one round trip."""
        return enqueue_write(
            [
                (self._wrap(c, agency_id, None, None), self.topic, c.partition_key())
                for c in contracts
            ]
        )

    @asynccontextmanager
    async def collecting(self, conn: asyncpg.Connection) -> AsyncIterator[CollectedEvents]:
        """A writer whose ``emit`` only wraps and keeps the event; on leaving the block
        (normally) they all go into the outbox in one round trip, in emit order, still
        inside the caller's transaction. On an exception nothing is written (the
        transaction rolls back anyway). Nest it inside the transaction, never around it."""
        collected = CollectedEvents(self.service, self._municipality, topic=self.topic)
        yield collected
        await collected.flush(conn)

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


class CollectedEvents(EventWriter):
    """:meth:`EventWriter.collecting`'s writer: the same checks and envelopes, enqueued
    together by :meth:`flush` (so a use case's steps that emit on their own, such as
    opening a case, need not know)."""

    def __init__(self, service: str, municipality_code: str, *, topic: str) -> None:
        super().__init__(service, municipality_code)
        self.topic = topic
        self._pending: list[tuple[Envelope, str, str]] = []

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
        self._pending.append((envelope, self.topic, contract.partition_key()))
        return envelope

    async def emit_all(
        self,
        conn: asyncpg.Connection,
        contracts: Sequence[EventContract],
        *,
        agency_id: str | None,
    ) -> list[Envelope]:
        return [await self.emit(conn, c, agency_id=agency_id) for c in contracts]

    async def flush(self, conn: asyncpg.Connection) -> None:
        pending, self._pending = self._pending, []
        await enqueue_many(conn, pending)
