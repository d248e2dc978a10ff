"""An in-memory stand-in for :func:`kasane.bus.inbox.handle_once`, for fast unit tests of the
consumer. It keeps the real inbox's contract (``tests/contracts/inbox_contract.py``, run on
this fake and on PostgreSQL): the handler's effects and the inbox row commit together, or
neither does."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from kasane.bus.inbox import Delivery, Handler
from kasane.events.registry import ParsedEvent


class FakeConn:
    """Stands in for the transaction's connection the handler receives. A handler "writes"
    by appending to ``staged``; the inbox moves ``staged`` to ``committed`` on success and
    drops it on error, as a rolled-back transaction would."""

    def __init__(self) -> None:
        self.staged: list[Any] = []
        self.committed: list[Any] = []


class FakePool:
    def __init__(self) -> None:
        self.conn = FakeConn()


class FakeInbox:
    """Replacement for ``handle_once``: records calls, keeps (consumer, event_id) rows."""

    def __init__(self, fail_with: BaseException | None = None) -> None:
        self.rows: set[tuple[str, UUID]] = set()
        self.calls: list[tuple[str, UUID, Delivery]] = []
        self.fail_with = fail_with  # raised before the handler, like an unreachable database

    async def __call__(
        self,
        pool: FakePool,
        consumer: str,
        event: ParsedEvent,
        delivery: Delivery,
        handler: Handler,
    ) -> bool:
        self.calls.append((consumer, event.envelope.event_id, delivery))
        if self.fail_with is not None:
            raise self.fail_with
        key = (consumer, event.envelope.event_id)
        if key in self.rows:
            return False
        conn = pool.conn
        conn.staged = []  # a new transaction
        try:
            await handler(conn, event)
        finally:
            staged, conn.staged = conn.staged, []
        # "Commit" only after the handler returned: its effects and the row together.
        conn.committed.extend(staged)
        self.rows.add(key)
        return True
