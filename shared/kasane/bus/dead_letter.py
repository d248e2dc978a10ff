"""Dead-letter hand-off: ``kasane.<consumer>.dlq.v1`` gets the original bytes and the error."""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka import AIOKafkaProducer


@dataclass(frozen=True)
class DeadLetter:
    consumer: str
    source_topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    error: str

    def headers(self) -> list[tuple[str, bytes]]:
        return [
            ("dlq.consumer", self.consumer.encode()),
            ("dlq.source_topic", self.source_topic.encode()),
            ("dlq.partition", str(self.partition).encode()),
            ("dlq.offset", str(self.offset).encode()),
            # Kafka headers are bytes; cap the error so one bad message cannot bloat the DLQ.
            ("dlq.error", self.error[:2000].encode()),
        ]


class DeadLetterPublisher:
    def __init__(self, producer: AIOKafkaProducer, topic: str) -> None:
        self._producer = producer
        self.topic = topic

    async def send(self, letter: DeadLetter) -> None:
        # Awaited to the broker's ack: the source offset is committed only after this.
        await self._producer.send_and_wait(
            self.topic, value=letter.value, key=letter.key, headers=letter.headers()
        )
