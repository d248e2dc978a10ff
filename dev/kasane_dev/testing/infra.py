"""Where integration tests get a real broker, database and identity provider.

In order: ``KASANE_TEST_KAFKA`` / ``KASANE_TEST_DATABASE_URL`` if set; else testcontainers
when a Docker engine answers; else the local stack (Kafka from Maven Central, embedded
PostgreSQL) in its own state folder on free ports. Keycloak (test_keycloak) is separate:
only tests that sign in need it. Whatever this module started, it stops.

How the broker is reached differs per source (:class:`TestInfra` says which):

- local: SASL/SCRAM with one principal per service and the ACLs — exactly ``kasane up``;
  the services' secrets are in ``<state>/kafka/secrets`` (``secrets_dir``);
- environment: ``KASANE_TEST_KAFKA_USERNAME`` / ``_PASSWORD`` (an admin of that broker) if
  set, and then every in-process service connects as that admin; else unauthenticated;
- testcontainers: the image's default unauthenticated listener (configuring SASL through
  the container's listener environment was not possible to verify here without Docker).

Event signing is the same everywhere. Tests of the broker's own rules (ACLs, anonymous
refusal) need per-service principals and skip unless ``secrets_dir`` is set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kasane.settings import SERVICES, Settings


@dataclass(frozen=True)
class TestInfra:
    kafka_bootstrap: str
    database_url: str  # server URL; each test run derives its own databases
    source: str  # "environment" | "testcontainers" | "local"
    security_protocol: str = "PLAINTEXT"
    # Folder of per-principal SCRAM secrets (the local stack), or None.
    secrets_dir: Path | None = None
    # One principal for everything (an external broker's admin), or empty.
    username: str = ""
    password: str = ""


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
    from kasane_dev.local.kafka_config import KafkaLayout
    from kasane_dev.local.net import free_port
    from kasane_dev.local.stack import start_infra, stop_infra

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
        yield TestInfra(
            handle.kafka_bootstrap,
            handle.database_url,
            "local",
            security_protocol="SASL_PLAINTEXT",
            secrets_dir=KafkaLayout(state_dir).secrets,
        )
    finally:
        stop_infra(handle, report=report)


@contextmanager
def test_infra(state_dir: Path, report: Callable[[str], None] = print) -> Iterator[TestInfra]:
    kafka, db = os.environ.get("KASANE_TEST_KAFKA"), os.environ.get("KASANE_TEST_DATABASE_URL")
    if kafka and db:
        user = os.environ.get("KASANE_TEST_KAFKA_USERNAME", "")
        protocol = "SASL_PLAINTEXT" if user else "PLAINTEXT"
        yield TestInfra(
            kafka,
            db,
            "environment",
            security_protocol=os.environ.get("KASANE_TEST_KAFKA_SECURITY_PROTOCOL", protocol),
            username=user,
            password=os.environ.get("KASANE_TEST_KAFKA_PASSWORD", ""),
        )
    elif docker_engine_answers():
        with _from_testcontainers() as infra:
            yield infra
    else:
        with _from_local(state_dir, report) as infra:
            yield infra


def kafka_env(infra: TestInfra, state_dir: Path) -> dict[str, str]:
    """KASANE_* telling every service of a run how to reach ``infra``'s broker.

    Each service finds its own secret (``<secrets>/<service>.json``) and signing key
    (``<state>/keys/events/private/<service>.*.pem``) by its name, so in-process services
    of one test session still connect as distinct principals and sign with distinct keys.
    """
    return {
        "KASANE_KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "KASANE_KAFKA_SECURITY_PROTOCOL": infra.security_protocol,
        "KASANE_KAFKA_SECRETS_DIR": str(infra.secrets_dir or state_dir / "kafka" / "secrets"),
        "KASANE_KAFKA_USERNAME": infra.username,
        "KASANE_KAFKA_PASSWORD": infra.password,
    }


def prepare_run(settings: Settings) -> None:
    """Event keys for every service and the run's topics + ACLs (as the broker's admin)."""
    from kasane.bus.admin import provision
    from kasane.bus.credentials import ADMIN, kafka_access
    from kasane.bus.signing import ensure_event_keys
    from kasane_dev.local.aio import run_sync

    ensure_event_keys(settings, SERVICES)
    access = kafka_access(settings, ADMIN)
    run_sync(lambda: provision(access, settings.topic_namespace))


@dataclass(frozen=True)
class TestKeycloak:
    __test__ = False  # not a test class, whatever pytest guesses from the name

    base_url: str  # e.g. http://127.0.0.1:41234
    admin_password: str  # of the master realm's bootstrap user "admin"
    source: str  # "environment" | "local"

    @property
    def issuer(self) -> str:
        from kasane_dev.local.keycloak_realm import issuer_url

        return issuer_url(self.base_url)


def _keycloak_template(cache_dir: Path) -> Path:
    """Where a freshly imported database for this realm file and version is kept.

    Creating Keycloak's schema and importing the realm is most of a first start (tens of
    seconds on a busy box); a session copies this clean snapshot instead. The realm file's
    hash is in the name, so editing the realm makes a new snapshot.
    """
    import hashlib

    from kasane_dev.local.keycloak_realm import REALM_FILE, VERSION

    digest = hashlib.sha256(REALM_FILE.read_bytes()).hexdigest()[:16]
    return cache_dir / "keycloak" / f"test-template-{VERSION}-{digest}"


@contextmanager
def _keycloak_from_local(
    state_dir: Path, cache_dir: Path, report: Callable[[str], None]
) -> Iterator[TestKeycloak]:
    import time

    from kasane_dev.local import keycloak
    from kasane_dev.local.keycloak_realm import KeycloakLayout, local_base_url
    from kasane_dev.local.net import free_port

    layout = KeycloakLayout(state_dir, cache_dir)
    template = _keycloak_template(cache_dir)
    begin = time.monotonic()
    keycloak.prepare_keycloak(state_dir, cache_dir, production=False)
    if not template.exists():
        # First session for this realm: import, stop cleanly, keep the database as template.
        started = keycloak.start_keycloak(state_dir, free_port(), cache_dir=cache_dir)
        keycloak.stop_keycloak(state_dir, cache_dir)
        staging = template.with_name(template.name + f".{started.pid}")
        shutil.copytree(layout.h2_dir, staging / "h2")
        shutil.copy2(layout.admin_password_file, staging / "admin-password")
        try:
            staging.rename(template)
        except OSError:  # another session made it first: same content
            shutil.rmtree(staging, ignore_errors=True)
    else:
        shutil.rmtree(layout.h2_dir, ignore_errors=True)
        shutil.copytree(template / "h2", layout.h2_dir)
        layout.admin_password_file.unlink(missing_ok=True)
        shutil.copy2(template / "admin-password", layout.admin_password_file)
    port = free_port()
    keycloak.start_keycloak(state_dir, port, cache_dir=cache_dir)
    report(f"keycloak: started for the test session in {time.monotonic() - begin:.1f}s")
    try:
        yield TestKeycloak(local_base_url(port), keycloak.admin_password(layout), "local")
    finally:
        keycloak.stop_keycloak(state_dir, cache_dir)


@contextmanager
def test_keycloak(
    state_dir: Path, cache_dir: Path, report: Callable[[str], None] = print
) -> Iterator[TestKeycloak]:
    """``KASANE_TEST_KEYCLOAK`` (+ ``KASANE_TEST_KEYCLOAK_ADMIN_PASSWORD``) if set, else an
    embedded Keycloak in state_dir on a free port, stopped at the end."""
    url = os.environ.get("KASANE_TEST_KEYCLOAK")
    if url:
        password = os.environ.get("KASANE_TEST_KEYCLOAK_ADMIN_PASSWORD", "")
        yield TestKeycloak(url.rstrip("/"), password, "environment")
    else:
        with _keycloak_from_local(state_dir, cache_dir, report) as found:
            yield found
