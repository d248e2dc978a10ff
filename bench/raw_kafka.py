"""Raw baseline 1: plain aiokafka, produce → consume, on the broker kasane uses.

The producer is configured like kasane's own (acks=all, idempotent; linger 5 ms, which
kasane's relay dropped when it began pacing its own reads) and driven like the HTTP
clients: ``concurrency`` senders, each awaiting the broker's ack before its next message.
One plain consumer (no group, from offset 0) stamps every record on arrival; latency =
arrival - send time carried in the payload.

With ``signer``/``verifier`` (``bench.signing``) every value is signed before it is sent and
verified on arrival, as kasane's relay and consumers do: the same baseline with signing.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench.deadline import Deadline
from bench.stats import latency_ms, rate
from bench.workload import raw_payload
from kasane.bus.admin import ensure_topics
from kasane.bus.credentials import KafkaAccess
from kasane.bus.signing import EventSigner, EventVerifier

# The verifier is told the record's topic belongs to intake (see bench.signing.TOPIC).
BENCH_TOPIC_OWNER = "bench.kasane.intake.v1"
WARMUP_SEQ = -1  # warm-up messages carry a negative sequence number and are not measured


@dataclass
class RawKafkaRecorder:
    n: int
    topic: str = ""
    message_bytes: int = 0
    started: float | None = None  # perf_counter() when the first measured send began
    last_consumed: float | None = None
    produced: int = 0
    ack_s: list[float] = field(default_factory=list)
    e2e_s: list[float] = field(default_factory=list)
    warmup_consumed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        wall = (
            self.last_consumed - self.started
            if self.started is not None and self.last_consumed is not None
            else float("nan")
        )
        return {
            "topic": self.topic,
            "requested": self.n,
            "message_bytes": self.message_bytes,
            "produced": self.produced,
            "consumed": len(self.e2e_s),
            "wall_s": wall,
            "throughput_per_s": rate(len(self.e2e_s), wall),
            "produce_ack_latency": latency_ms(self.ack_s).as_dict(),
            "produce_to_consume_latency": latency_ms(self.e2e_s).as_dict(),
            "errors": len(self.errors),
            "error_samples": self.errors[:5],
        }


async def _consume(
    consumer: AIOKafkaConsumer, rec: RawKafkaRecorder, verifier: EventVerifier | None
) -> None:
    while True:
        batches = await consumer.getmany(timeout_ms=50)
        now_ns = time.perf_counter_ns()  # one arrival stamp per fetched batch
        for records in batches.values():
            for record in records:
                if verifier is not None:  # as a kasane consumer does, before parsing
                    verifier.verify(BENCH_TOPIC_OWNER, record.value, record.headers)
                    now_ns = time.perf_counter_ns()
                body = json.loads(record.value)
                if body["seq"] == WARMUP_SEQ:
                    rec.warmup_consumed += 1
                    continue
                rec.e2e_s.append((now_ns - body["sent_ns"]) / 1e9)
                rec.last_consumed = now_ns / 1e9


async def _send(
    producer: AIOKafkaProducer, topic: str, seq: int, size: int, signer: EventSigner | None
) -> int:
    sent_ns = time.perf_counter_ns()
    value = raw_payload(seq, sent_ns, size)
    headers = None
    if signer is not None:  # as kasane's relay does, over the exact bytes sent
        value = value.replace(b"{", b'{"producer":"intake",', 1)
        headers = signer.headers(value)
    await producer.send_and_wait(topic, value=value, key=uuid.uuid4().bytes, headers=headers)
    return sent_ns


async def _wait_until(condition: Any, deadline: Deadline, cap_s: float) -> bool:
    limit = min(deadline.remaining(), cap_s)
    end = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() >= end:
            return False
        await asyncio.sleep(0.01)
    return True


async def run_raw_kafka(
    access: KafkaAccess,
    rec: RawKafkaRecorder,
    *,
    concurrency: int,
    size: int,
    warmup: int,
    deadline: Deadline,
    signer: EventSigner | None = None,
    verifier: EventVerifier | None = None,
) -> None:
    rec.message_bytes = len(raw_payload(0, time.perf_counter_ns(), size))
    await ensure_topics(access, [rec.topic])
    consumer = AIOKafkaConsumer(
        rec.topic,
        **access.client_kwargs(),
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    producer = AIOKafkaProducer(
        **access.client_kwargs(),
        client_id="kasane-bench-raw",
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
    )
    await consumer.start()
    await producer.start()
    consuming = asyncio.create_task(_consume(consumer, rec, verifier), name="raw-kafka-consumer")
    try:
        # Warm-up: partitions assigned, connections open, JIT warm; not measured.
        await asyncio.gather(
            *(_send(producer, rec.topic, WARMUP_SEQ, size, signer) for _ in range(warmup))
        )
        await _wait_until(lambda: rec.warmup_consumed >= warmup, deadline, 30)

        counter = itertools.count()

        async def sender() -> None:
            while (seq := next(counter)) < rec.n and not deadline.passed():
                if rec.started is None:
                    rec.started = time.perf_counter()
                try:
                    sent_ns = await _send(producer, rec.topic, seq, size, signer)
                except Exception as exc:  # a benchmark reports failures, it does not stop
                    rec.errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                rec.ack_s.append((time.perf_counter_ns() - sent_ns) / 1e9)
                rec.produced += 1

        await asyncio.gather(*(sender() for _ in range(concurrency)))
        await _wait_until(lambda: len(rec.e2e_s) >= rec.produced, deadline, 60)
    finally:
        consuming.cancel()
        await asyncio.gather(consuming, return_exceptions=True)
        await producer.stop()
        await consumer.stop()
