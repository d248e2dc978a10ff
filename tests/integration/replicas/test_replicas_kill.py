"""Two instances of intake and two of indicators against one database each and one
consumer group (docs/architecture/replicas.md), as real processes on the real broker.

Mid-stream, the intake replica that is the outbox relay leader and one indicators consumer
are killed with SIGKILL. The survivors take over: the other intake's relay takes the
leader lock, the other indicators consumer gets the dead one's partitions, and every
consultation intake committed is counted exactly once in indicators (none lost, none twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import signal
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment

from kasane.bus.credentials import ADMIN, kafka_access
from kasane.bus.relay import leader_pid
from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import prepare_run
from kasane_dev.testing.services import ChildService, prepare_database, start_child
from tests.integration.fixtures_data import consultation_body
from tests.integration.helpers import eventually

pytestmark = pytest.mark.integration

FISCAL_YEAR = 2004  # this test's own databases; a year no other test uses, all the same
TOTAL = 150  # consultations POSTed, alternating over the live intake replicas
KILL_AFTER = 50  # answered POSTs before the kill
BUDGET_S = 240  # the whole test stops by itself within this


@dataclass
class Replicas:
    settings: Settings
    dsn: dict[str, str]
    intake: list[ChildService]
    indicators: list[ChildService]


async def _drop_databases(server_url: str, names: list[str]) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        for name in names:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
async def replicas(
    settings: Settings, service_env: dict[str, str], tmp_path: Path
) -> AsyncIterator[Replicas]:
    run_id = uuid.uuid4().hex[:6]
    # Databases and topics of its own: nothing else relays this outbox or joins this group.
    isolated = settings.model_copy(
        update={
            "database_suffix": f"{settings.database_suffix}_rep{run_id}",
            "topic_namespace": f"{settings.topic_namespace}rep{run_id}.",
        }
    )
    await asyncio.to_thread(prepare_run, isolated)
    dsn = {n: await prepare_database(n, isolated) for n in ("intake", "indicators")}
    env = {
        **service_env,
        "KASANE_DATABASE_SUFFIX": isolated.database_suffix,
        "KASANE_TOPIC_NAMESPACE": isolated.topic_namespace,
    }
    started = await asyncio.gather(
        *(
            start_child(name, free_port(), env, tmp_path / f"{name}-{i}.log")
            for name in ("intake", "indicators")
            for i in range(2)
        ),
        return_exceptions=True,
    )
    children = [c for c in started if isinstance(c, ChildService)]
    try:
        failed = [e for e in started if isinstance(e, BaseException)]
        if failed:
            raise failed[0]
        yield Replicas(
            isolated,
            dsn,
            [c for c in children if c.name == "intake"],
            [c for c in children if c.name == "indicators"],
        )
    finally:
        for child in children:
            child.kill()
        with contextlib.suppress(Exception):
            await _drop_databases(
                settings.database_url,
                [f"{n}{isolated.database_suffix}" for n in ("intake", "indicators")],
            )
        with contextlib.suppress(Exception):
            await _delete_namespace_topics(isolated)


async def _delete_namespace_topics(settings: Settings) -> None:
    admin = AIOKafkaAdminClient(**kafka_access(settings, ADMIN).client_kwargs())
    await admin.start()
    try:
        ns = settings.topic_namespace
        await admin.delete_topics([t for t in await admin.list_topics() if t.startswith(ns)])
    finally:
        await admin.close()


async def _assignment(settings: Settings, group: str, topic: str) -> list[list[int]]:
    """Partitions of ``topic`` per member of consumer group ``group`` (the broker's view)."""
    admin = AIOKafkaAdminClient(**kafka_access(settings, ADMIN).client_kwargs())
    await admin.start()
    try:
        (response,) = await admin.describe_consumer_groups([group])
    finally:
        await admin.close()
    members = [m for g in response.groups for m in g[5]]
    owned = []
    for member in members:
        if not member[4]:
            owned.append([])
            continue
        decoded = ConsumerProtocolMemberAssignment.decode(member[4])
        owned.append(sorted(p for t, parts in decoded.assignment if t == topic for p in parts))
    return owned


async def _value(dsn: str, query: str) -> object:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(query)
    finally:
        await conn.close()


async def _ids(dsn: str, query: str) -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        return [str(r[0]) for r in await conn.fetch(query)]
    finally:
        await conn.close()


async def _leader(dsn: str) -> int | None:
    conn = await asyncpg.connect(dsn)
    try:
        return await leader_pid(conn)
    finally:
        await conn.close()


async def test_killing_the_relay_leader_and_a_consumer_loses_and_duplicates_nothing(
    replicas: Replicas, auth: Callable[..., dict[str, str]]
) -> None:
    async with asyncio.timeout(BUDGET_S):
        await _scenario(replicas, auth)


async def _scenario(replicas: Replicas, auth: Callable[..., dict[str, str]]) -> None:
    settings, dsn = replicas.settings, replicas.dsn
    ns = settings.topic_namespace
    intake_topic = topic_for("intake", ns)
    group = f"{ns}kasane.indicators"

    # Both consumers joined the group and each reads part of intake's topic.
    owned = await eventually(
        lambda: _assignment(settings, group, intake_topic),
        lambda o: len(o) == 2 and all(o) and sorted(itertools.chain(*o)) == [0, 1, 2],
        timeout_s=90,
    )
    assert len(owned) == 2
    # One relay leads, in one of the two intake processes.
    pids = {c.process.pid: c for c in replicas.intake}
    leader = await eventually(lambda: _leader(dsn["intake"]), lambda p: p in pids, 30)
    assert leader is not None
    victim, survivor = pids[leader], next(c for c in replicas.intake if c.process.pid != leader)
    doomed_consumer = replicas.indicators[0]

    headers = auth("jiritsu", "counselor")
    live = list(replicas.intake)
    answered = 0
    async with httpx.AsyncClient(timeout=10) as client:
        for i in range(TOTAL):
            if answered == KILL_AFTER and victim in live:
                # Mid-stream: indicators has counted some, not all.
                await eventually(
                    lambda: _value(dsn["indicators"], "SELECT count(*) FROM consultation_facts"),
                    lambda n: isinstance(n, int) and n >= 10,
                    60,
                )
                victim.process.send_signal(signal.SIGKILL)
                doomed_consumer.process.send_signal(signal.SIGKILL)
                live.remove(victim)
            target = live[i % len(live)]
            # A POST to a process being killed may or may not have committed: the database
            # says what exists, not the answers.
            with contextlib.suppress(httpx.TransportError):
                response = await client.post(
                    f"{target.base_url}/consultations",
                    json=consultation_body(FISCAL_YEAR),
                    headers=headers,
                )
                assert response.status_code == 201, response.text
                answered += 1
    assert victim.process.wait(10) == -signal.SIGKILL
    assert doomed_consumer.process.wait(10) == -signal.SIGKILL

    # The survivor took the relay over and published everything.
    await eventually(lambda: _leader(dsn["intake"]), lambda p: p == survivor.process.pid, 30)
    await eventually(
        lambda: _value(dsn["intake"], "SELECT count(*) FROM outbox WHERE sent_at IS NULL"),
        lambda n: n == 0,
        60,
    )
    # The surviving consumer owns every partition now.
    await eventually(
        lambda: _assignment(settings, group, intake_topic), lambda o: o == [[0, 1, 2]], 60
    )
    committed = await _ids(dsn["intake"], "SELECT id FROM consultations")
    assert len(committed) >= answered > KILL_AFTER
    counted = await eventually(
        lambda: _ids(dsn["indicators"], "SELECT consultation_id FROM consultation_facts"),
        lambda ids: len(ids) >= len(committed),
        90,
    )
    # Exactly once: every committed consultation, none twice, nothing else.
    assert sorted(counted) == sorted(committed)
    # And the surviving indicators replica answers the same figure.
    city = auth("city-chiiki-fukushi", "city_official")
    async with httpx.AsyncClient(base_url=replicas.indicators[1].base_url) as client:
        response = await client.get(
            "/indicators/consultations", params={"fiscal_year": FISCAL_YEAR}, headers=city
        )
    assert response.status_code == 200, response.text
    assert response.json()["total"] == len(committed)
