"""Routing parsed events to per-contract handler functions inside the inbox transaction.

    dispatch = Dispatcher()

    @dispatch.on(ConsentRecorded)
    async def consent_recorded(conn, envelope, event: ConsentRecorded) -> None: ...

``dispatch`` is then the ``handler`` of a :class:`kasane.web.app.Subscription`, and
``dispatch.registry`` parses every published contract: types without a handler are still
recorded in the inbox (so a replay sees the same history) and otherwise ignored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg

from kasane.events import EventRegistry, all_contracts
from kasane.events.envelope import Envelope, EventContract
from kasane.events.registry import ParsedEvent

C = TypeVar("C", bound=EventContract)
ContractHandler = Callable[[asyncpg.Connection, Envelope, Any], Awaitable[None]]


class Dispatcher:
    def __init__(self) -> None:
        self._handlers: dict[type[EventContract], ContractHandler] = {}
        self.registry = EventRegistry(c for group in all_contracts().values() for c in group)

    def on(
        self, contract: type[C]
    ) -> Callable[[Callable[[asyncpg.Connection, Envelope, C], Awaitable[None]]], ContractHandler]:
        def register(
            fn: Callable[[asyncpg.Connection, Envelope, C], Awaitable[None]],
        ) -> ContractHandler:
            if contract in self._handlers:
                raise ValueError(f"two handlers for {contract.event_type}")
            self._handlers[contract] = fn
            return fn

        return register

    @property
    def handled_types(self) -> frozenset[str]:
        return frozenset(c.event_type for c in self._handlers)

    @property
    def producers(self) -> tuple[str, ...]:
        """The services whose topics this consumer must read: the producers of the contracts
        it handles (``<producer>.<Name>``). The one declaration of a subscription."""
        return tuple(sorted({t.split(".", 1)[0] for t in self.handled_types}))

    async def __call__(self, conn: asyncpg.Connection, event: ParsedEvent) -> None:
        handler = self._handlers.get(type(event.contract))
        if handler is not None:
            await handler(conn, event.envelope, event.contract)
