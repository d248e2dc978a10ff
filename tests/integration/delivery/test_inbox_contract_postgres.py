"""The inbox contract (``tests/contracts/inbox_contract.py``) run on the real
:func:`kasane.bus.inbox.handle_once` against PostgreSQL (intake's migrated database; the
handler writes to a scratch table of its own)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import pytest

from kasane.bus.inbox import handle_once
from kasane.events.registry import ParsedEvent
from tests.conftest import ServiceStarter
from tests.contracts.inbox_contract import HandlerBroke, InboxContract, delivery_of

pytestmark = pytest.mark.integration


class TestPostgresInboxContract(InboxContract):
    @pytest.fixture(autouse=True)
    async def _pool(self, services: ServiceStarter) -> AsyncIterator[None]:
        running = await services("intake")
        pool = await asyncpg.create_pool(running.dsn, min_size=1, max_size=2)
        assert pool is not None
        self.pool, self.runs = pool, 0
        await pool.execute(
            "CREATE TABLE IF NOT EXISTS inbox_contract_effects (event_id uuid NOT NULL)"
        )
        try:
            yield
        finally:
            await pool.close()

    async def handle(self, event: ParsedEvent, write: bool = True, fail: bool = False) -> bool:
        async def handler(conn: asyncpg.Connection, parsed: ParsedEvent) -> None:
            self.runs += 1
            if write:
                await conn.execute(
                    "INSERT INTO inbox_contract_effects (event_id) VALUES ($1)",
                    parsed.envelope.event_id,
                )
            if fail:
                raise HandlerBroke

        return await handle_once(self.pool, self.consumer, event, delivery_of(event), handler)

    async def effects(self, event_id: UUID) -> int:
        count = await self.pool.fetchval(
            "SELECT count(*) FROM inbox_contract_effects WHERE event_id = $1", event_id
        )
        return int(count)

    def handler_runs(self) -> int:
        return self.runs
