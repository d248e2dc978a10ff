"""The inbox contract (``tests/contracts/inbox_contract.py``) run on the in-memory fake."""

from __future__ import annotations

from uuid import UUID

from kasane.events.registry import ParsedEvent
from tests.contracts.inbox_contract import HandlerBroke, InboxContract, delivery_of
from tests.fakes.inbox import FakeConn, FakeInbox, FakePool


class TestFakeInboxContract(InboxContract):
    def setup_method(self) -> None:
        self.inbox = FakeInbox()
        self.pool = FakePool()
        self.runs = 0

    async def handle(self, event: ParsedEvent, write: bool = True, fail: bool = False) -> bool:
        async def handler(conn: FakeConn, parsed: ParsedEvent) -> None:
            self.runs += 1
            if write:
                conn.staged.append(parsed.envelope.event_id)
            if fail:
                raise HandlerBroke

        return await self.inbox(self.pool, self.consumer, event, delivery_of(event), handler)

    async def effects(self, event_id: UUID) -> int:
        return self.pool.conn.committed.count(event_id)

    def handler_runs(self) -> int:
        return self.runs
