"""One suite for event handlers, run twice: directly and through the real broker.

Each case is written once against two abstract steps (as FastStream's ``tests/brokers/base``
runs one set of cases on an in-memory broker and a real one):

- :meth:`HandlerSuite.deliver` puts one record (bytes signed as its producer would) in front
  of the service's consumer;
- :meth:`HandlerSuite.dead_lettered` returns the values dead-lettered under a key;

and reads the effects from the service's real database. The carriers (``carriers.py``)
implement the two steps: :class:`~tests.integration.handlers.carriers.Direct` hands a
:class:`kasane.bus.inbox.Delivery` to an ``EventConsumer`` built from the service's own
dispatcher; :class:`~tests.integration.handlers.carriers.Broker` produces onto the real topic
and lets the running service's subscriber handle it. Each service's cases say how to make a
sample event and how to count its effect (:meth:`sample`, :meth:`effect`); the three
delivery guarantees below then hold for every service and carrier alike.
"""

from __future__ import annotations

import abc
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

import asyncpg

from kasane.events import wrap
from kasane.events.envelope import Envelope, EventContract
from kasane.settings import Settings
from tests.integration.helpers import eventually

MUNICIPALITY = "402036"


def envelope(contract: EventContract, producer: str) -> Envelope:
    return wrap(contract, producer=producer, municipality_code=MUNICIPALITY, agency_id="shakyo")


class HandlerSuite(abc.ABC):
    """The delivery guarantees of one service's handlers, whatever carries the events."""

    service: ClassVar[str]
    settings: Settings
    dsn: str

    # -- what a carrier provides ----------------------------------------------------------

    @abc.abstractmethod
    async def deliver(
        self, producer: str, key: bytes, value: bytes, *, signed: bool = True
    ) -> None:
        """Put one record on ``producer``'s topic, signed with its key unless ``signed=False``."""

    @abc.abstractmethod
    async def dead_lettered(self, key: bytes) -> list[bytes]:
        """The values the service's consumer dead-lettered so far under ``key``."""

    # -- what a service's cases provide ---------------------------------------------------

    @abc.abstractmethod
    def sample(self, group: uuid.UUID) -> Envelope:
        """A fresh valid event the service handles; ``group`` ties related events together."""

    @abc.abstractmethod
    async def effect(self, env: Envelope) -> int:
        """How many rows of the service's own tables ``env`` produced (0: not handled)."""

    expected_effect: ClassVar[int] = 1

    # -- shared steps ---------------------------------------------------------------------

    async def publish(self, env: Envelope, group: uuid.UUID) -> None:
        # Keyed by group: one partition, so the broker keeps the order the case relies on.
        await self.deliver(env.producer, str(group).encode(), env.to_bytes())

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(self.dsn)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    async def count(self, sql: str, *args: Any) -> int:
        return int((await self.fetch(sql, *args))[0][0])

    async def inbox_rows(self, event_id: uuid.UUID) -> int:
        return await self.count(
            "SELECT count(*) FROM inbox WHERE consumer = $1 AND event_id = $2",
            self.service,
            event_id,
        )

    async def applied(self, env: Envelope) -> int:
        done: Callable[[int], bool] = lambda n: n >= self.expected_effect  # noqa: E731
        return await eventually(lambda: self.effect(env), done)

    # -- the guarantees -------------------------------------------------------------------

    async def test_event_is_applied_once(self) -> None:
        group = uuid.uuid4()
        env = self.sample(group)
        await self.publish(env, group)
        assert await self.applied(env) == self.expected_effect
        assert await self.inbox_rows(env.event_id) == 1

    async def test_duplicate_delivery_changes_nothing(self) -> None:
        group = uuid.uuid4()
        first, sentinel = self.sample(group), self.sample(group)
        await self.publish(first, group)
        await self.publish(first, group)  # the same event_id again: a redelivery
        # The sentinel follows the copy on the same key: once it is applied, the copy was seen.
        await self.publish(sentinel, group)
        await self.applied(sentinel)
        assert await self.effect(first) == self.expected_effect
        assert await self.inbox_rows(first.event_id) == 1
        # Not run a second time and failing either (a non-idempotent handler would).
        assert await self.dead_lettered(str(group).encode()) == []

    async def test_poison_is_dead_lettered_and_the_next_event_handled(self) -> None:
        group = uuid.uuid4()
        key = str(group).encode()
        not_json = b"\xff not an event"
        unsigned, good = self.sample(group), self.sample(group)
        await self.deliver(good.producer, key, not_json)
        await self.deliver(unsigned.producer, key, unsigned.to_bytes(), signed=False)
        await self.deliver(good.producer, key, good.to_bytes())
        await self.applied(good)
        letters = await eventually(lambda: self.dead_lettered(key), lambda found: len(found) >= 2)
        assert letters == [not_json, unsigned.to_bytes()]  # the original bytes, in order
        assert await self.effect(unsigned) == 0
        assert await self.inbox_rows(unsigned.event_id) == 0
