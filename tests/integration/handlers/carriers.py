"""The two ways an event reaches a service's handlers in :mod:`.base`'s suite."""

from __future__ import annotations

import importlib
import itertools
from collections.abc import AsyncIterator

import asyncpg
import pytest

from kasane.bus.consumer import EventConsumer
from kasane.bus.dead_letter import DeadLetter, DeadLetterPublisher, LetterForm
from kasane.bus.dispatch import Dispatcher
from kasane.bus.inbox import Delivery
from kasane.bus.signing import verifier_for
from kasane.events.topics import dlq_topic_for, topic_for
from kasane.settings import Settings
from tests.conftest import ServiceStarter
from tests.integration.handlers.base import HandlerSuite
from tests.integration.helpers import owner_signer, produce, read_topic


class RecordingDeadLetters(DeadLetterPublisher):
    """Keeps the letters instead of publishing them: the direct carrier has no broker."""

    def __init__(self) -> None:
        self.letters: list[DeadLetter] = []

    async def send(self, letter: DeadLetter) -> LetterForm:
        self.letters.append(letter)
        return "whole"


class Direct(HandlerSuite):
    """A signed :class:`Delivery` handed to ``EventConsumer.process``: the service's own
    dispatcher, inbox and database, the producers' real keys; no broker."""

    @pytest.fixture(autouse=True)
    async def _consumer(self, services: ServiceStarter, settings: Settings) -> AsyncIterator[None]:
        # The running service provides its migrated database; nothing is produced, so its
        # own subscriber never sees these events.
        running = await services(self.service)
        self.settings, self.dsn = settings, running.dsn
        dispatch: Dispatcher = importlib.import_module(f"{self.service}.handlers").dispatch
        ns = settings.topic_namespace
        self.offsets = itertools.count()
        self.letters = RecordingDeadLetters()
        pool = await asyncpg.create_pool(running.dsn, min_size=1, max_size=2)
        assert pool is not None
        self.consumer = EventConsumer(
            name=self.service,
            registry=dispatch.registry,
            pool=pool,
            dead_letters=self.letters,
            handler=dispatch,
            backoff_s=0,
            # The same trust as the running service: its producers' public keys.
            verifier=verifier_for(settings, {topic_for(p, ns): p for p in dispatch.producers}),
        )
        try:
            yield
        finally:
            await pool.close()

    async def deliver(
        self, producer: str, key: bytes, value: bytes, *, signed: bool = True
    ) -> None:
        topic = topic_for(producer, self.settings.topic_namespace)
        signer = owner_signer(topic) if signed else None
        headers = tuple(signer.headers(value)) if signer is not None else ()
        await self.consumer.process(Delivery(topic, 0, next(self.offsets), key, value, headers))

    async def dead_lettered(self, key: bytes) -> list[bytes]:
        return [letter.value for letter in self.letters.letters if letter.key == key]


class Broker(HandlerSuite):
    """The same records produced onto the real topic, handled by the running service's
    subscriber; its dead letters read back from its DLQ topic."""

    @pytest.fixture(autouse=True)
    async def _service(self, services: ServiceStarter, settings: Settings) -> None:
        running = await services(self.service)
        self.settings, self.dsn = settings, running.dsn

    async def deliver(
        self, producer: str, key: bytes, value: bytes, *, signed: bool = True
    ) -> None:
        topic = topic_for(producer, self.settings.topic_namespace)
        await produce(self.settings.kafka_bootstrap, topic, [(key, value)], signer=signed)

    async def dead_lettered(self, key: bytes) -> list[bytes]:
        dlq = dlq_topic_for(self.service, self.settings.topic_namespace)
        records = await read_topic(self.settings.kafka_bootstrap, dlq, settle_s=0.5)
        return [r.value for r in records if r.key == key]
