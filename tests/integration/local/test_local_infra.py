"""The no-Docker stack for real: Kafka and PostgreSQL in a private state folder.

Runs on free ports next to any developer stack, restarts Kafka to prove the data folder
persists, and checks that stopping leaves no process behind.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from kasane.bus.credentials import KafkaAccess
from kasane.db.urls import database_url
from kasane.settings import REPO_ROOT
from kasane_dev.local import kafka, postgres
from kasane_dev.local.net import free_port
from kasane_dev.local.pids import cmdline
from kasane_dev.local.stack import InfraHandle, start_infra, stop_infra

pytestmark = pytest.mark.integration


async def _create_topic(access: KafkaAccess, topic: str) -> None:
    admin = AIOKafkaAdminClient(**access.client_kwargs())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    finally:
        await admin.close()


async def _list_topics(access: KafkaAccess) -> list[str]:
    admin = AIOKafkaAdminClient(**access.client_kwargs())
    await admin.start()
    try:
        return list(await admin.list_topics())
    finally:
        await admin.close()


async def _select_one(server_url: str, dbname: str) -> int:
    await postgres.ensure_database(server_url, dbname)
    conn = await asyncpg.connect(database_url(server_url, dbname))
    try:
        return int(await conn.fetchval("SELECT 1"))
    finally:
        await conn.close()


@pytest.fixture
def state() -> Iterator[Path]:
    # Not pytest's tmp_path: run as root, PostgreSQL runs as a system user that must reach
    # its data folder, and pytest keeps /tmp/pytest-of-root private (mode 0700, re-applied by
    # every pytest session on the machine). The repository's own state folder is reachable.
    folder = REPO_ROOT / ".kasane" / "test-infra" / f"local-{uuid.uuid4().hex[:8]}"
    yield folder / "state"
    shutil.rmtree(folder, ignore_errors=True)


def test_kafka_and_postgres_start_persist_and_stop(state: Path) -> None:
    kafka_port, controller_port = free_port(), free_port()
    handle: InfraHandle | None = None
    pids: list[int] = []
    try:
        handle = start_infra(state, kafka_port, controller_port)
        kafka_pid = kafka.kafka_pid(state)
        pg = postgres.postgres_status(state)
        assert kafka_pid is not None and pg is not None
        pids += [kafka_pid, pg.pid]
        assert handle.kafka_bootstrap == f"127.0.0.1:{kafka_port}"

        admin = kafka.admin_access(state, handle.kafka_bootstrap)
        assert asyncio.run(kafka.fetch_broker_ids(admin)) == [1]
        dbname = f"kasane_it_{uuid.uuid4().hex[:8]}"
        assert asyncio.run(_select_one(handle.database_url, dbname)) == 1
        # Idempotent: a second start reuses the running server and its database.
        assert asyncio.run(postgres.ensure_database(handle.database_url, dbname)) is False

        topic = f"kasane.it.{uuid.uuid4().hex[:8]}"
        asyncio.run(_create_topic(admin, topic))

        assert kafka.stop_kafka(state) == kafka_pid
        assert kafka.kafka_pid(state) is None
        restarted = kafka.start_kafka(state, kafka_port, controller_port)
        assert not restarted.already_running
        pids.append(restarted.pid)
        assert topic in asyncio.run(_list_topics(admin))
    finally:
        if handle is not None:
            stop_infra(handle)
        else:  # start_infra failed half-way: stop whatever did start
            postgres.stop_postgres(state)
            kafka.stop_kafka(state)

    assert kafka.kafka_pid(state) is None
    assert postgres.postgres_status(state) is None
    leftovers = {pid: cmdline(pid) for pid in pids if cmdline(pid) is not None}
    assert leftovers == {}
