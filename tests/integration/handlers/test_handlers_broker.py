"""The handler suite, through the real broker: the same signed records produced onto the real
topics, handled by the running intake's subscriber, its dead letters read from its DLQ topic."""

from __future__ import annotations

import pytest

from kasane.events.topics import dlq_topic_for, topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.handlers.base import HandlerSuite
from tests.integration.helpers import produce, read_topic

pytestmark = pytest.mark.integration


class TestHandlersBroker(HandlerSuite):
    @pytest.fixture(autouse=True)
    def _service(self, intake: RunningService, settings: Settings) -> None:
        self.settings, self.dsn = settings, intake.dsn

    async def deliver(
        self, topic: str, key: bytes | None, value: bytes, *, signed: bool = True
    ) -> None:
        full_topic = topic_for(topic, self.settings.topic_namespace)
        await produce(self.settings.kafka_bootstrap, full_topic, [(key, value)], signer=signed)

    async def dead_lettered(self, key: bytes) -> list[bytes]:
        dlq = dlq_topic_for(self.service, self.settings.topic_namespace)
        records = await read_topic(self.settings.kafka_bootstrap, dlq, settle_s=0.5)
        return [r.value for r in records if r.key == key]
