"""The whole local stack: infrastructure (Kafka + PostgreSQL + Keycloak) and the seven services.

`start_infra` / `stop_infra` take explicit folders and ports so a pytest fixture can run an
isolated stack; `up` / `down` / `status_rows` apply them to the Settings for the CLI.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kasane.db.urls import database_url, redact
from kasane.reference import REFERENCE_DIR_ENV
from kasane.settings import APP_PORTS, SERVICE_PORTS, SERVICES, WEB_PORTS, Settings
from kasane_dev.local import kafka, keycloak, postgres, processes
from kasane_dev.local.aio import run_sync
from kasane_dev.local.errors import LocalInfraError
from kasane_dev.local.kafka_config import KafkaLayout
from kasane_dev.local.keycloak_realm import KeycloakLayout, issuer_url
from kasane_dev.local.net import split_host_port
from kasane_dev.local.prerequisites import require_java
from kasane_dev.local.started import Started

Report = Callable[[str], None]
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})


def _silent(_: str) -> None:
    pass


@dataclass(frozen=True)
class InfraHandle:
    state_dir: Path
    kafka_bootstrap: str
    # Server URL; each service/test derives its database with kasane.db.urls.database_url.
    database_url: str
    # True when the URL came from outside: stop_infra then leaves PostgreSQL alone.
    external_database: bool = False
    external_kafka: bool = False


def _since(start: float) -> str:
    return f"{time.monotonic() - start:.1f}s"


def _describe(name: str, started: Started, start: float) -> str:
    if started.already_running:
        return f"{name}: already running (pid {started.pid})"
    return f"{name}: started (pid {started.pid}) in {_since(start)}"


def start_kafka_component(
    state_dir: Path, bootstrap: str, controller_port: int, report: Report = _silent
) -> bool:
    """Start the local broker unless the bootstrap points elsewhere; True if local."""
    host, port = split_host_port(bootstrap)
    if host not in LOOPBACK_HOSTS:
        report(f"kafka: external at {bootstrap}, not started")
        return False
    # Java first: without it the Maven download would be wasted effort.
    require_java()
    begin = time.monotonic()
    if kafka.fetch_jars(state_dir):
        report(f"kafka: jars fetched from Maven Central in {_since(begin)}")
    started = kafka.start_kafka(state_dir, port, controller_port)
    report(_describe("kafka", started, begin))
    return True


def start_postgres_component(
    state_dir: Path, external_url: str = "", report: Report = _silent
) -> str:
    """The server URL: external_url as given, else the embedded server (started if down)."""
    if external_url:
        report(f"postgres: external at {redact(external_url)}, not started")
        return external_url
    begin = time.monotonic()
    status, already = postgres.start_postgres(state_dir)
    if already:
        report(f"postgres: already running (pid {status.pid})")
    else:
        report(f"postgres: started (pid {status.pid}) in {_since(begin)}")
    return status.url


def start_keycloak_component(settings: Settings, report: Report = _silent) -> None:
    """The embedded Keycloak with the kasane realm, unless KASANE_KEYCLOAK_URL is set."""
    if not settings.embedded_keycloak:
        report(f"keycloak: external at {settings.keycloak_base_url}, not started")
        return
    if settings.production:
        report("keycloak: KASANE_ENV=production: the realm is imported without demo accounts")
    begin = time.monotonic()
    started = keycloak.start_keycloak(
        settings.state_dir,
        settings.keycloak_port,
        cache_dir=settings.cache_dir,
        production=settings.production,
    )
    report(_describe("keycloak", started, begin))


def start_infra(
    state_dir: Path,
    kafka_port: int,
    controller_port: int,
    *,
    database_url: str = "",
    report: Report = _silent,
) -> InfraHandle:
    """Kafka on 127.0.0.1:kafka_port and PostgreSQL (unless database_url is given)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    bootstrap = f"127.0.0.1:{kafka_port}"
    start_kafka_component(state_dir, bootstrap, controller_port, report)
    url = start_postgres_component(state_dir, database_url, report)
    return InfraHandle(
        state_dir=state_dir,
        kafka_bootstrap=bootstrap,
        database_url=url,
        external_database=bool(database_url),
    )


def stop_infra(handle: InfraHandle, report: Report = _silent) -> None:
    """Stop PostgreSQL (unless external), then Kafka, of handle's state folder."""
    if not handle.external_database:
        _report_stop(report, "postgres", postgres.stop_postgres(handle.state_dir))
    if not handle.external_kafka:
        _report_stop(report, "kafka", kafka.stop_kafka(handle.state_dir))


def _report_stop(report: Report, name: str, pid: int | None) -> None:
    report(f"{name}: stopped (pid {pid})" if pid is not None else f"{name}: not running")


def reference_dir(settings: Settings) -> Path:
    """Where `kasane reference import` writes and the services read the city's reference
    data: $KASANE_REFERENCE_DIR, else <state dir>/reference (.kasane/reference)."""
    given = os.environ.get(REFERENCE_DIR_ENV, "").strip()
    return Path(given) if given else settings.state_dir / "reference"


def service_env(settings: Settings, server_url: str) -> dict[str, str]:
    """What a service process must see to find the same state, broker and database."""
    env = {
        "KASANE_STATE_DIR": str(settings.state_dir),
        "KASANE_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "KASANE_DATABASE_URL": server_url,
        "KASANE_DATABASE_SUFFIX": settings.database_suffix,
        # Read once at boot: restart the services after `kasane reference import`.
        REFERENCE_DIR_ENV: str(reference_dir(settings)),
    }
    if settings.topic_namespace:
        env["KASANE_TOPIC_NAMESPACE"] = settings.topic_namespace
    # Each service finds its own Kafka secret and signing key by its name under these.
    env["KASANE_KAFKA_SECURITY_PROTOCOL"] = settings.kafka_security_protocol
    env["KASANE_KAFKA_SECRETS_DIR"] = str(settings.kafka_secrets_path)
    env["KASANE_EVENT_KEYS_DIR"] = str(settings.event_keys_path)
    if not settings.oidc_issuers:
        # The services trust the Keycloak `up` started (or the configured one) by default.
        env["KASANE_OIDC_ISSUERS"] = json.dumps([issuer_url(settings.keycloak_base_url)])
    return env


def migrate_all(
    server_url: str, services: Mapping[str, int] | list[str], suffix: str, report: Report
) -> None:
    """Create each service's database if needed and apply its migrations."""
    # Lazy: kasane.db.migrate is owned by another module and pulls in its own imports.
    from kasane.db.migrate import migrate_service

    for service in services:
        dbname = f"{service}{suffix}"
        created = run_sync(partial(postgres.ensure_database, server_url, dbname))
        dsn = database_url(server_url, dbname)
        applied = run_sync(partial(migrate_service, service, dsn))
        what = f"applied {', '.join(applied)}" if applied else "up to date"
        report(f"migrate {service}: {'created database ' + dbname + '; ' if created else ''}{what}")


def ensure_keys(settings: Settings, report: Report) -> None:
    from kasane.auth.keys import ensure_dev_keys
    from kasane.bus.signing import ensure_event_keys

    ensure_dev_keys(settings.keys_dir)
    report(f"keys: development JWT keys in {settings.keys_dir}")
    ensure_event_keys(settings, SERVICES)
    report(f"keys: event signing keys (one per service) in {settings.event_keys_path}")


def compose_env(passwords: Mapping[str, str]) -> str:
    """compose.yaml's ${...} secrets: admin, controller and one password per service."""
    from kasane.bus.credentials import ADMIN
    from kasane_dev.local.kafka_config import CONTROLLER_USER

    lines = [
        "# Generated by `kasane keys`: secrets for `docker compose --env-file`. Keep private.",
        f"KASANE_KAFKA_ADMIN_PASSWORD={passwords[ADMIN]}",
        f"KASANE_KAFKA_CONTROLLER_PASSWORD={passwords[CONTROLLER_USER]}",
    ]
    lines += [f"KASANE_KAFKA_PASSWORD_{s.upper()}={passwords[s]}" for s in SERVICES]
    return "\n".join(lines) + "\n"


def keys(settings: Settings, report: Report = _silent) -> Path:
    """`kasane keys`: every key and secret of a deployment, created once, under the state
    folder; returns the compose env file (what `docker compose --env-file` reads)."""
    import os

    ensure_keys(settings, report)
    secrets = kafka.ensure_secrets(settings.state_dir)
    where = KafkaLayout(settings.state_dir).secrets
    report(f"keys: Kafka secrets (admin, controller, one per service) in {where}")
    target = settings.state_dir / "compose.env"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(compose_env({name: c.password for name, c in secrets.items()}))
    report(f"keys: compose secrets in {target}")
    return target


def provision_broker(settings: Settings, report: Report) -> None:
    """Topics and per-service ACLs of the configured namespace, as the admin principal."""
    from kasane.bus.admin import provision
    from kasane.bus.credentials import ADMIN, kafka_access

    access = kafka_access(settings, ADMIN)
    run_sync(lambda: provision(access, settings.topic_namespace))
    namespace = settings.topic_namespace or "(none)"
    report(f"kafka: topics and ACLs of namespace {namespace} provisioned")


def instances(replicas: int = 1) -> list[tuple[str, int]]:
    """(service, port) of every process `up` runs: each app once on its own port, and the
    replicated services (``processes.REPLICATED``) ``replicas`` times on successive ports."""
    found: list[tuple[str, int]] = []
    for service, port in APP_PORTS.items():
        count = replicas if service in processes.REPLICATED else 1
        found += [(service, p) for p in processes.replica_ports(port, count)]
    return found


def start_services(
    settings: Settings,
    server_url: str,
    report: Report,
    targets: Sequence[tuple[str, int]] | None = None,
) -> None:
    """Start every service instance that is down, then wait for all of them to be healthy."""
    env = service_env(settings, server_url)
    begin = time.monotonic()
    fresh: list[tuple[str, int]] = []
    for service, port in targets if targets is not None else instances():
        name = processes.instance_name(service, port)
        started = processes.start_service(settings.state_dir, service, port, env)
        if started.already_running:
            report(f"{name}: already running (pid {started.pid})")
        else:
            fresh.append((service, port))
    # Started all first, then waited: the services boot in parallel.
    for service, port in fresh:
        processes.wait_healthy(settings.state_dir, service, port)
        pid = processes.service_pid(settings.state_dir, service, port)
        name = processes.instance_name(service, port)
        report(f"{name}: started (pid {pid}), healthy after {_since(begin)}")


def up(
    settings: Settings,
    *,
    with_services: bool = True,
    replicas: int = 1,
    report: Report = _silent,
) -> None:
    """`kasane up`: infrastructure, migrations, keys, services; only what is down starts.

    ``replicas`` > 1 also runs that many instances of intake and indicators (the first on
    the service's own port, the others on successive ports, see :func:`instances`)."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    local_kafka = start_kafka_component(
        settings.state_dir, settings.kafka_bootstrap, settings.kafka_controller_port, report
    )
    try:
        provision_broker(settings, report)
    except RuntimeError as exc:
        if local_kafka:
            raise
        # An external broker is usually provisioned by its own administrator.
        report(f"kafka: topics and ACLs not provisioned here ({exc})")
    server_url = start_postgres_component(settings.state_dir, settings.database_url, report)
    ensure_keys(settings, report)
    start_keycloak_component(settings, report)
    if with_services:
        migrate_all(server_url, list(APP_PORTS), settings.database_suffix, report)
        start_services(settings, server_url, report, instances(replicas))
    report("")
    report(f"Kafka bootstrap: {settings.kafka_bootstrap}")
    report(f"PostgreSQL:      {redact(server_url)}")
    admin_file = KeycloakLayout(settings.state_dir, settings.cache_dir).admin_password_file
    report(
        f"Keycloak:        {settings.keycloak_base_url}  (realm kasane; admin console "
        f"{settings.keycloak_base_url}/admin: user admin, password in {admin_file})"
    )
    if with_services:
        for web, port in WEB_PORTS.items():
            report(f"{web:<14} http://127.0.0.1:{port}  (staff sign-in: README, Sign-in)")
        for service, port in SERVICE_PORTS.items():
            report(f"{service:<14} http://127.0.0.1:{port}  (docs: http://127.0.0.1:{port}/docs)")
        for service, port in instances(replicas):
            if port != APP_PORTS[service]:
                report(f"{processes.instance_name(service, port):<14} http://127.0.0.1:{port}")
    report(f"Logs:            {settings.log_dir}")


def migrate(settings: Settings, report: Report = _silent) -> None:
    """`kasane migrate`: against the configured or already running embedded server."""
    from kasane.db.urls import server_url

    if not settings.database_url and postgres.postgres_status(settings.state_dir) is None:
        raise LocalInfraError(
            f"The embedded PostgreSQL of {settings.state_dir} is not running: run `kasane up` "
            f"(or `kasane up --no-services`) first, or set KASANE_DATABASE_URL."
        )
    migrate_all(server_url(settings), list(APP_PORTS), settings.database_suffix, report)


def down(settings: Settings, report: Report = _silent) -> None:
    """`kasane down`: services (replicas too), Keycloak, then PostgreSQL (unless
    external), then Kafka."""
    for service, port in _known_instances(settings):
        name = processes.instance_name(service, port)
        _report_stop(report, name, processes.stop_service(settings.state_dir, service, port))
    if settings.embedded_keycloak:
        _report_stop(
            report, "keycloak", keycloak.stop_keycloak(settings.state_dir, settings.cache_dir)
        )
    host, _ = split_host_port(settings.kafka_bootstrap)
    stop_infra(
        InfraHandle(
            state_dir=settings.state_dir,
            kafka_bootstrap=settings.kafka_bootstrap,
            database_url=settings.database_url,
            external_database=bool(settings.database_url),
            external_kafka=host not in LOOPBACK_HOSTS,
        ),
        report,
    )


@dataclass(frozen=True)
class StatusRow:
    component: str
    up: bool
    pid: int | None
    address: str


def status_rows(settings: Settings) -> list[StatusRow]:
    host, _ = split_host_port(settings.kafka_bootstrap)
    rows: list[StatusRow] = []
    if host in LOOPBACK_HOSTS:
        pid = kafka.kafka_status(settings.state_dir)
        rows.append(StatusRow("kafka", pid is not None, pid, settings.kafka_bootstrap))
    else:
        rows.append(StatusRow("kafka", True, None, f"external {settings.kafka_bootstrap}"))
    if settings.database_url:
        rows.append(StatusRow("postgres", True, None, f"external {redact(settings.database_url)}"))
    else:
        pg = postgres.postgres_status(settings.state_dir)
        address = pg.url if pg else str(postgres.pgdata_dir(settings.state_dir))
        rows.append(StatusRow("postgres", pg is not None, pg.pid if pg else None, address))
    rows.append(_keycloak_row(settings))
    for service, port in _known_instances(settings):
        pid = processes.service_pid(settings.state_dir, service, port)
        if pid is None and port != APP_PORTS[service]:
            continue  # a replica left from an earlier `up --replicas`: not part of the stack
        name = processes.instance_name(service, port)
        rows.append(StatusRow(name, pid is not None, pid, f"http://127.0.0.1:{port}"))
    return rows


def _known_instances(settings: Settings) -> list[tuple[str, int]]:
    """Every app on its own port, then the replicas an earlier `up --replicas` started."""
    found = list(APP_PORTS.items())
    for service in processes.REPLICATED:
        extra = processes.replica_ports_started(settings.state_dir, service)
        found += [(service, port) for port in extra]
    return found


def _keycloak_row(settings: Settings) -> StatusRow:
    if not settings.embedded_keycloak:
        return StatusRow("keycloak", True, None, f"external {settings.keycloak_base_url}")
    pid = keycloak.keycloak_pid(settings.state_dir, settings.cache_dir)
    address = issuer_url(settings.keycloak_base_url)
    if pid is not None:
        address += f"  ({keycloak.resident_kib(pid) // 1024} MB resident)"
    return StatusRow("keycloak", pid is not None, pid, address)
