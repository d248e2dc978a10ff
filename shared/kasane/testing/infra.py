"""Where integration tests get a real broker and database (DESIGN.md section 3).

In order: ``KASANE_TEST_KAFKA`` / ``KASANE_TEST_DATABASE_URL`` if set; else testcontainers
when a Docker engine answers; else the local stack (Kafka from Maven Central, embedded
PostgreSQL) in its own state folder on free ports. Whatever this module started, it stops.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TestInfra:
    kafka_bootstrap: str
    database_url: str  # server URL; each test run derives its own databases
    source: str  # "environment" | "testcontainers" | "local"


def docker_engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        result = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


@contextmanager
def _from_testcontainers() -> Iterator[TestInfra]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer

    with (
        KafkaContainer("apache/kafka:4.1.1").with_kraft() as kafka,
        PostgresContainer("postgres:18", driver=None) as pg,
    ):
        yield TestInfra(kafka.get_bootstrap_server(), pg.get_connection_url(), "testcontainers")


@contextmanager
def _from_local(state_dir: Path, report: Callable[[str], None]) -> Iterator[TestInfra]:
    from kasane.local.net import free_port
    from kasane.local.stack import start_infra, stop_infra

    # Hermetic: a fresh broker and database cluster each session (downloaded jars are kept).
    for leftover in (
        state_dir / "kafka" / "data",
        state_dir / "kafka" / "cluster.id",
        state_dir / "pgdata",
    ):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink(missing_ok=True)
    handle = start_infra(state_dir, free_port(), free_port(), report=report)
    try:
        yield TestInfra(handle.kafka_bootstrap, handle.database_url, "local")
    finally:
        stop_infra(handle, report=report)


@contextmanager
def test_infra(state_dir: Path, report: Callable[[str], None] = print) -> Iterator[TestInfra]:
    kafka, db = os.environ.get("KASANE_TEST_KAFKA"), os.environ.get("KASANE_TEST_DATABASE_URL")
    if kafka and db:
        yield TestInfra(kafka, db, "environment")
    elif docker_engine_answers():
        with _from_testcontainers() as infra:
            yield infra
    else:
        with _from_local(state_dir, report) as infra:
            yield infra
