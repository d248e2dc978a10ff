"""Dead-letter hand-off: ``kasane.<consumer>.dlq.v1`` gets the original record and the error.

A letter is normally the whole record: its key, its value and its own headers, plus the
``dlq.*`` headers saying where it came from and why it was rejected. The ``dlq.*`` headers
make the copy larger than the original, so a record close to the broker's size limit
(``max.message.bytes``) cannot be copied whole. Treating that refusal as a transient
failure would redeliver the record forever and stall its partition; instead such a record
is dead-lettered as a *reference*: a small JSON value naming the source topic, partition,
offset and size, the same ``dlq.*`` headers and ``dlq.reference=true``. The original stays
on its topic (topics keep every record, ``retention.ms=-1``), where the reference finds it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from aiokafka import AIOKafkaProducer
from aiokafka.errors import MessageSizeTooLargeError, RecordTooLargeError

from kasane.bus.inbox import Headers

DLQ_PREFIX = "dlq."
MAX_ERROR_CHARS = 2000  # one bad record must not bloat the dead-letter topic
MAX_REFERENCE_KEY_BYTES = 1024  # a reference keeps the key only when it is small

# Client-side refusal (larger than the producer's max_request_size) and the broker's own
# (MESSAGE_TOO_LARGE, larger than the topic's max.message.bytes) both arrive as these.
TOO_LARGE: tuple[type[BaseException], ...] = (MessageSizeTooLargeError, RecordTooLargeError)

LetterForm = Literal["whole", "reference"]


@dataclass(frozen=True)
class DeadLetter:
    consumer: str
    source_topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    error: str
    original_headers: Headers = ()

    def headers(self) -> list[tuple[str, bytes]]:
        return [
            ("dlq.consumer", self.consumer.encode()),
            ("dlq.source_topic", self.source_topic.encode()),
            ("dlq.partition", str(self.partition).encode()),
            ("dlq.offset", str(self.offset).encode()),
            ("dlq.error", self.error[:MAX_ERROR_CHARS].encode()),
        ]

    def whole(self) -> tuple[bytes | None, bytes, list[tuple[str, bytes | None]]]:
        """Key, value and headers of the full copy: the record's own headers come first,
        except ``dlq.*`` ones, which only the dead-letter hand-off may set."""
        own = [(k, v) for k, v in self.original_headers if not k.startswith(DLQ_PREFIX)]
        return self.key, self.value, [*own, *self.headers()]

    def reference(self) -> tuple[bytes | None, bytes, list[tuple[str, bytes | None]]]:
        """Key, value and headers of a letter that points at the record instead of copying it."""
        value = json.dumps(
            {
                "reference": True,
                "source_topic": self.source_topic,
                "partition": self.partition,
                "offset": self.offset,
                "size": len(self.value),
                "key_size": len(self.key) if self.key is not None else None,
                "error": self.error[:MAX_ERROR_CHARS],
            },
            ensure_ascii=False,
        ).encode()
        small_key = self.key if len(self.key or b"") <= MAX_REFERENCE_KEY_BYTES else None
        headers: list[tuple[str, bytes | None]] = [
            *self.headers(),
            ("dlq.reference", b"true"),
            ("dlq.size", str(len(self.value)).encode()),
        ]
        return small_key, value, headers


class DeadLetterPublisher:
    def __init__(self, producer: AIOKafkaProducer, topic: str) -> None:
        self._producer = producer
        self.topic = topic

    async def send(self, letter: DeadLetter) -> LetterForm:
        """Publish ``letter`` whole, or as a reference if the broker refuses its size.

        Awaited to the broker's ack: the source offset is committed only after this. Any
        other failure propagates (the consumer treats it as transient and redelivers).
        """
        key, value, headers = letter.whole()
        try:
            await self._producer.send_and_wait(self.topic, value=value, key=key, headers=headers)
            return "whole"
        except TOO_LARGE:
            pass
        key, value, headers = letter.reference()
        await self._producer.send_and_wait(self.topic, value=value, key=key, headers=headers)
        return "reference"
