"""Verified-log checkpoints on the real broker and database: the rebuild does not verify again
what the live subscriber verified, yet a record altered on the broker is never applied.

Each test has a topic of its own (a private namespace, one partition) and an indicators
database of its own. The "live subscriber" is kasane's ``EventConsumer.process_batch`` with a
``VerifiedLog``, exactly as the service wires it, fed the topic's records in batches; the
rebuild is ``rebuild()`` as the CLI calls it, on that topic only. A verifier that counts its
calls shows which signatures the rebuild checked.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from indicators.handlers import dispatch
from indicators.usecases.rebuild import RebuildRefused, RebuildReport, rebuild
from kasane.bus.admin import ensure_topics
from kasane.bus.consumer import EventConsumer
from kasane.bus.credentials import ADMIN, kafka_access
from kasane.bus.dead_letter import DeadLetter, DeadLetterPublisher, LetterForm
from kasane.bus.inbox import Delivery, Headers
from kasane.bus.signing import EventVerifier, load_public_keys, signer_for, verifier_for
from kasane.bus.verified_log import VerifiedLog, genesis, link
from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService, prepare_database
from tests.integration.fixtures_data import consultation_event, counted
from tests.integration.helpers import admin_kwargs, eventually, produce, read_topic

pytestmark = pytest.mark.integration

FISCAL_YEAR = 2073


class _CountingVerifier(EventVerifier):
    """indicators' verifier for the topic (or trusting ``keys``), counting the signatures it
    checks."""

    def __init__(
        self, settings: Settings, topic: str, keys: dict[str, Ed25519PublicKey] | None = None
    ) -> None:
        trusted = (
            keys if keys is not None else load_public_keys(settings.event_keys_path, ["intake"])
        )
        super().__init__(trusted, {topic: "intake"})
        self.calls = 0

    def verify(self, topic: str, value: bytes, headers: Any) -> None:
        self.calls += 1
        super().verify(topic, value, headers)


class _Letters(DeadLetterPublisher):
    def __init__(self) -> None:
        self.letters: list[DeadLetter] = []

    async def send(self, letter: DeadLetter) -> LetterForm:
        self.letters.append(letter)
        return "whole"


class _World:
    """A private topic and indicators database, the live subscriber, and the rebuild."""

    def __init__(self, settings: Settings) -> None:
        tag = uuid.uuid4().hex[:8]
        self.namespace = f"{settings.topic_namespace}vl{tag}."
        self.topic = topic_for("intake", self.namespace)
        self.settings = settings.model_copy(
            update={"database_suffix": f"{settings.database_suffix}_vl{tag}"}
        )
        self.signer = signer_for(settings, "intake")
        self.verifier = verifier_for(settings, {self.topic: "intake"})
        self.letters = _Letters()
        self.dsn = ""

    async def start(self) -> None:
        await ensure_topics(kafka_access(self.settings, ADMIN), [self.topic], partitions=1)
        self.dsn = await prepare_database("indicators", self.settings)

    async def put(self, values: Sequence[bytes], headers: Sequence[Headers] | None = None) -> None:
        """On the broker, in order, each with the given headers (default: signed by intake)."""
        producer = AIOKafkaProducer(**admin_kwargs(self.settings.kafka_bootstrap), acks="all")
        await producer.start()
        try:
            for i, value in enumerate(values):
                sent = list(headers[i]) if headers else self.signer.headers(value)
                await producer.send_and_wait(
                    self.topic, value=value, key=b"case-vl", headers=sent, partition=0
                )
        finally:
            await producer.stop()

    async def records(self) -> list[Delivery]:
        return [
            Delivery(r.topic, r.partition, r.offset, r.key, r.value, tuple(r.headers or ()))
            for r in await read_topic(self.settings.kafka_bootstrap, self.topic, settle_s=1.0)
        ]

    async def live(self, deliveries: Sequence[Delivery], batch: int = 10) -> None:
        """The live subscriber's path, as the service runs it, with its verified log."""
        pool = await asyncpg.create_pool(self.dsn, min_size=1, max_size=2)
        assert pool is not None
        consumer = EventConsumer(
            name="indicators",
            registry=dispatch.registry,
            pool=pool,
            dead_letters=self.letters,
            handler=dispatch,
            verifier=self.verifier,
            verified_log=VerifiedLog("indicators"),
        )
        try:
            for i in range(0, len(deliveries), batch):
                await consumer.process_batch(deliveries[i : i + batch])
        finally:
            await pool.close()

    async def rebuild(
        self, counting: _CountingVerifier, trust_checkpoints: bool = True
    ) -> RebuildReport:
        return await rebuild(
            self.dsn,
            kafka_access(self.settings, ADMIN),
            counting,
            self.namespace,
            stream=io.StringIO(),
            producers=("intake",),
            trust_checkpoints=trust_checkpoints,
        )

    def counting(self) -> _CountingVerifier:
        return _CountingVerifier(self.settings, self.topic)

    async def fetchval(self, sql: str) -> Any:
        conn = await asyncpg.connect(self.dsn)
        try:
            return await conn.fetchval(sql)
        finally:
            await conn.close()

    async def facts(self) -> int:
        return int(await self.fetchval("SELECT count(*) FROM consultation_facts"))


@pytest.fixture
def world(settings: Settings) -> Iterator[_World]:
    yield _World(settings)


def _events(n: int) -> list[bytes]:
    return [consultation_event(FISCAL_YEAR).to_bytes() for _ in range(n)]


def _altered(value: bytes) -> bytes:
    """The same event with another agency: what a broker administrator might rewrite."""
    altered = value.replace(b'"jiritsu"', b'"kakei"')
    assert altered != value
    return altered


async def test_checkpointed_records_are_not_verified_again_and_a_tampered_record_past_the_last_checkpoint_is_skipped(  # noqa: E501
    world: _World,
) -> None:
    await world.start()
    good = _events(30)
    await world.put(good)
    await world.live(await world.records())
    assert await world.facts() == 30
    # Past the last checkpoint (the live subscriber has not read them yet): one record whose
    # bytes were altered after signing, between two good ones.
    later = _events(3)
    await world.put(
        [later[0], _altered(later[1]), later[2]],
        [
            world.signer.headers(later[0]),
            world.signer.headers(later[1]),
            world.signer.headers(later[2]),
        ],
    )

    counting = world.counting()
    report = await world.rebuild(counting)

    assert report.trusted == 30  # the checkpoints vouched for every record the subscriber read
    assert counting.calls == 3  # only the three past the last checkpoint were verified
    assert report.applied == 32
    assert [(s.offset, s.reason.split(":")[0]) for s in report.skipped_records] == [
        (31, "UnverifiedEvent")
    ]
    assert "does not match the bytes" in report.skipped_records[0].reason
    assert await world.facts() == 32


async def test_a_record_altered_after_the_subscriber_verified_it_refuses_the_swap(
    world: _World,
) -> None:
    await world.start()
    good = _events(25)
    # On the broker, record 12 now holds altered bytes (with the signature of the original):
    # what the subscriber verified earlier was the original.
    on_broker = [*good[:12], _altered(good[12]), *good[13:]]
    await world.put(on_broker, [world.signer.headers(v) for v in good])
    read_back = await world.records()
    verified = [
        Delivery(d.topic, d.partition, d.offset, d.key, good[d.offset], d.headers)
        for d in read_back
    ]
    await world.live(verified)
    assert await world.facts() == 25

    with pytest.raises(RebuildRefused, match=r"up to offset \d+ are not those the live"):
        await world.rebuild(world.counting())
    # Nothing swapped: the subscriber's model stays, and no half-built schema is left.
    assert await world.facts() == 25
    schemas = await world.fetchval(
        "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'"
    )
    assert schemas == 0

    # --verify-all judges every record by its signature, as before checkpoints: the altered
    # one is refused, the rest rebuilt.
    counting = world.counting()
    report = await world.rebuild(counting, trust_checkpoints=False)
    assert counting.calls == 25
    assert report.trusted == 0
    assert [s.offset for s in report.skipped_records] == [12]
    assert await world.facts() == 24


async def test_a_forged_record_the_subscriber_dead_lettered_stays_skipped_without_refusal(
    world: _World,
) -> None:
    await world.start()
    good = _events(20)
    forged = _altered(_events(1)[0])
    values = [*good[:7], forged, *good[7:]]
    # The forged record carries the signature of another event: the subscriber refuses it.
    headers = [world.signer.headers(v) for v in good[:7]]
    headers += [world.signer.headers(good[0])]
    headers += [world.signer.headers(v) for v in good[7:]]
    await world.put(values, headers)
    await world.live(await world.records())
    assert [letter.offset for letter in world.letters.letters] == [7]

    counting = world.counting()
    report = await world.rebuild(counting)

    # Its segment's digest differs (the subscriber's verdict was "refused"), so that segment
    # (here all 21 records: one checkpoint per 1,000 offsets is kept) is verified again,
    # agrees with the checkpoint then, and the forged record is skipped.
    assert [s.offset for s in report.skipped_records] == [7]
    assert report.skipped_records[0].reason.startswith("UnverifiedEvent")
    assert report.applied == 20
    assert counting.calls == 21
    assert report.trusted == 0
    assert await world.facts() == 20


async def test_records_signed_by_a_key_removed_since_are_refused_behind_a_checkpoint(
    world: _World,
) -> None:
    await world.start()
    await world.put(_events(12))
    await world.live(await world.records())
    assert await world.facts() == 12
    # intake's key was removed (compromised) and a new one trusted in its place: the
    # checkpoint still matches (same bytes), but the key each record names is no longer
    # trusted, so each is verified now — and refused, as a replay without checkpoints would.
    rotated = {"intake.rotated": Ed25519PrivateKey.generate().public_key()}
    counting = _CountingVerifier(world.settings, world.topic, rotated)
    report = await world.rebuild(counting)

    assert counting.calls == 12
    assert report.trusted == 0
    assert report.applied == 0
    assert len(report.skipped_records) == 12
    assert all("unknown key" in s.reason for s in report.skipped_records)
    assert await world.facts() == 0


async def test_the_indicators_service_keeps_a_verified_log(
    indicators: RunningService, settings: Settings, auth: Any
) -> None:
    topic = topic_for("intake", settings.topic_namespace)
    events = [consultation_event(FISCAL_YEAR + 1) for _ in range(3)]
    await produce(
        settings.kafka_bootstrap, topic, [(b"case-vl-live", e.to_bytes()) for e in events]
    )
    city = auth("city-chiiki-fukushi", "city_official")
    assert (
        await eventually(lambda: counted(indicators, city, FISCAL_YEAR + 1), lambda n: n >= 3) == 3
    )
    conn = await asyncpg.connect(indicators.dsn)
    try:
        rows = await conn.fetchval(
            "SELECT count(*) FROM verified_checkpoints"
            " WHERE consumer = 'indicators' AND topic = $1",
            topic,
        )
    finally:
        await conn.close()
    assert rows >= 1


async def _xmins(world: _World, table: str) -> set[int]:
    """The transaction ids that wrote ``table``'s rows (PostgreSQL's ``xmin``)."""
    conn = await asyncpg.connect(world.dsn)
    try:
        rows = await conn.fetch(f"SELECT xmin::text::bigint AS x FROM {table}")
    finally:
        await conn.close()
    return {r["x"] for r in rows}


async def test_a_batch_checkpoint_commits_in_the_batch_transaction(world: _World) -> None:
    """One transaction per batch, checkpoint included: the checkpoint row was written by the
    very transaction that wrote the batch's inbox rows and facts, so it can never attest a
    batch whose effects did not commit (nor cost a transaction of its own)."""
    await world.start()
    await world.put(_events(8))
    await world.live(await world.records(), batch=8)

    (batch_tx,) = await _xmins(world, "inbox")
    assert await _xmins(world, "consultation_facts") == {batch_tx}
    assert await _xmins(world, "verified_checkpoints") == {batch_tx}
    assert await world.fetchval('SELECT "offset" FROM verified_checkpoints') == 7


async def test_a_batch_rolled_back_at_commit_keeps_no_checkpoint_of_it_and_is_checkpointed_once_handled(  # noqa: E501
    world: _World,
) -> None:
    """The batch fails at COMMIT, after its checkpoint was staged in it (a deferred check on
    one record's fact): the checkpoint rolls back with the effects and the subscriber's
    chains do not move; the records are then handled one by one (that record dead-lettered
    alone) and the checkpoint is stored on its own, covering every record with the digest a
    replay computes."""
    await world.start()
    events = [consultation_event(FISCAL_YEAR) for _ in range(6)]
    poison = events[2].payload["consultation_id"]
    conn = await asyncpg.connect(world.dsn)
    try:
        await conn.execute(
            "CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN IF NEW.consultation_id = '{poison}' THEN RAISE EXCEPTION 'refused';"
            " END IF; RETURN NULL; END $$;"
            " CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON consultation_facts"
            " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()"
        )
    finally:
        await conn.close()
    await world.put([e.to_bytes() for e in events])
    records = await world.records()
    await world.live(records, batch=len(records))

    assert await world.facts() == 5
    assert [letter.offset for letter in world.letters.letters] == [2]
    digest = genesis(world.topic, 0, 0)
    for delivery in records:
        digest = link(digest, delivery, True)  # the refused one is authentic: its effect failed
    conn = await asyncpg.connect(world.dsn)
    try:
        rows = await conn.fetch('SELECT chain_start, "offset", digest FROM verified_checkpoints')
    finally:
        await conn.close()
    assert [(r["chain_start"], r["offset"], bytes(r["digest"])) for r in rows] == [
        (0, len(records) - 1, digest)
    ]
