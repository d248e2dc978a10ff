"""The handler suite, delivered directly: a signed ``Delivery`` handed to an
``EventConsumer`` built from intake's own dispatcher, on intake's real database; no broker."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

import asyncpg
import pytest

from intake.handlers import dispatch
from kasane.bus.consumer import EventConsumer
from kasane.bus.dead_letter import DeadLetter, DeadLetterPublisher, LetterForm
from kasane.bus.inbox import Delivery
from kasane.bus.signing import verifier_for
from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.handlers.base import HandlerSuite
from tests.integration.helpers import owner_signer

pytestmark = pytest.mark.integration


class RecordingDeadLetters(DeadLetterPublisher):
    """Keeps the letters instead of publishing them: the direct path has no broker."""

    def __init__(self) -> None:
        self.letters: list[DeadLetter] = []

    async def send(self, letter: DeadLetter) -> LetterForm:
        self.letters.append(letter)
        return "whole"


class TestHandlersDirect(HandlerSuite):
    @pytest.fixture(autouse=True)
    async def _consumer(self, intake: RunningService, settings: Settings) -> AsyncIterator[None]:
        self.settings, self.dsn = settings, intake.dsn
        self.offsets = itertools.count()
        self.letters = RecordingDeadLetters()
        ns = settings.topic_namespace
        pool = await asyncpg.create_pool(intake.dsn, min_size=1, max_size=2)
        assert pool is not None
        self.consumer = EventConsumer(
            name=self.service,
            registry=dispatch.registry,
            pool=pool,
            dead_letters=self.letters,
            handler=dispatch,
            backoff_s=0,
            # The same trust as the running service: the producers' public keys.
            verifier=verifier_for(settings, {topic_for(p, ns): p for p in dispatch.producers}),
        )
        try:
            yield
        finally:
            await pool.close()

    async def deliver(
        self, topic: str, key: bytes | None, value: bytes, *, signed: bool = True
    ) -> None:
        full_topic = topic_for(topic, self.settings.topic_namespace)
        signer = owner_signer(full_topic) if signed else None
        headers = tuple(signer.headers(value)) if signer is not None else ()
        delivery = Delivery(full_topic, 0, next(self.offsets), key, value, headers)
        await self.consumer.process(delivery)

    async def dead_lettered(self, key: bytes) -> list[bytes]:
        return [letter.value for letter in self.letters.letters if letter.key == key]
