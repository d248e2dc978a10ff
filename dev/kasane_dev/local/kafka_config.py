"""Pure parts of the local Kafka broker: folder layout, properties files, cluster id.

No I/O here, so the rendering rules are unit-testable.
"""

from __future__ import annotations

import base64
import shlex
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class KafkaLayout:
    """Where one broker keeps its files under a state folder.

    Everything hangs off `state_dir`, so a test can run a second broker in its own folder.
    """

    state_dir: Path

    @property
    def home(self) -> Path:
        return self.state_dir / "kafka"

    @property
    def libs(self) -> Path:
        return self.home / "libs"

    @property
    def libs_marker(self) -> Path:
        # Holds the sha256 of the pom the jars were fetched for.
        return self.home / "libs.sha256"

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def server_properties(self) -> Path:
        return self.home / "server.properties"

    @property
    def log4j2_properties(self) -> Path:
        return self.home / "log4j2.properties"

    @property
    def secrets(self) -> Path:
        # <principal>.json SCRAM secrets (mode 0600): the admin, the controller, each service.
        return self.home / "secrets"

    @property
    def scram_marker(self) -> Path:
        # Written after a format that created the SCRAM users; data formatted by an older
        # kasane (plaintext broker) has none and cannot be authenticated.
        return self.home / "scram.formatted"

    @property
    def cluster_id_file(self) -> Path:
        return self.home / "cluster.id"

    @property
    def meta_properties(self) -> Path:
        # Written by StorageTool format; its presence means "already formatted".
        return self.data / "meta.properties"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "logs" / "kafka.log"

    @property
    def console_log(self) -> Path:
        # JVM stdout/stderr: crashes before log4j is up (bad flags, missing classes) land here.
        return self.state_dir / "logs" / "kafka.console.log"

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "run" / "kafka.pid"


ADMIN_USER = "kasane-admin"  # SCRAM super user: provisioning and inter-broker traffic
CONTROLLER_USER = "controller"  # PLAIN, controller listener only


@dataclass(frozen=True)
class BrokerSecrets:
    admin_password: str
    controller_password: str


def _jaas(module: str, **options: str) -> str:
    rendered = " ".join(f'{key}="{value}"' for key, value in options.items())
    return f"org.apache.kafka.common.security.{module} required {rendered};"


def security_properties(secrets: BrokerSecrets) -> dict[str, str]:
    """SASL on both listeners and the KRaft authorizer: nothing is anonymous.

    Clients (services, CLI, tests) use SCRAM-SHA-512 on the BROKER listener; the users live
    in the cluster metadata (created at format time). The controller listener cannot use
    SCRAM — the controller would need the metadata it serves to authenticate — so it uses
    PLAIN with one static user known only to the broker's own config: a client reaching
    the controller port without that secret is refused, so it is no anonymous back door.
    Loopback only, so no TLS here; a production broker uses SASL_SSL on both.
    """
    return {
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        "listener.name.broker.sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "listener.name.broker.scram-sha-512.sasl.jaas.config": _jaas(
            "scram.ScramLoginModule", username=ADMIN_USER, password=secrets.admin_password
        ),
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": _jaas(
            "plain.PlainLoginModule",
            username=CONTROLLER_USER,
            password=secrets.controller_password,
            **{f"user_{CONTROLLER_USER}": secrets.controller_password},
        ),
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found": "false",
        # The broker talks to itself as the admin and to the controller as the controller.
        "super.users": f"User:{ADMIN_USER};User:{CONTROLLER_USER}",
    }


def server_properties(
    data_dir: Path, port: int, controller_port: int, secrets: BrokerSecrets
) -> dict[str, str]:
    """Settings for one combined broker+controller KRaft node bound to loopback only."""
    return {
        "process.roles": "broker,controller",
        "node.id": "1",
        # Static voter: no --standalone at format time, no dynamic quorum to bootstrap.
        "controller.quorum.voters": f"1@127.0.0.1:{controller_port}",
        "listeners": f"BROKER://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"BROKER://127.0.0.1:{port}",
        # Inter-broker traffic on the advertised listener avoids a single-node txn pitfall.
        "inter.broker.listener.name": "BROKER",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "CONTROLLER:SASL_PLAINTEXT,BROKER:SASL_PLAINTEXT",
        **security_properties(secrets),
        "log.dirs": str(data_dir),
        # One node: internal topics cannot have the default replication 3 / min ISR 2, or
        # groups and idempotent/transactional producers fail.
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "default.replication.factor": "1",
        # Faster start and a smaller footprint on a laptop.
        "offsets.topic.num.partitions": "1",
        "group.initial.rebalance.delay.ms": "0",
        "num.network.threads": "2",
        "num.io.threads": "2",
        # Default allocates 128 MiB at start; must stay above 1 MiB per cleaner thread.
        "log.cleaner.dedupe.buffer.size": "8388608",
        # Topics are provisioned by the admin (kasane.bus.admin); nobody else creates any.
        "auto.create.topics.enable": "false",
        "num.partitions": "3",
        # Events are kept forever: indicators rebuild from offset 0
        # (docs/architecture/events-and-contracts.md).
        "log.retention.ms": "-1",
    }


# Heap as in Kafka's start scripts for a small box; the default (1/4 of RAM) is wasteful.
JVM_HEAP = ("-Xms256m", "-Xmx512m")


def jvm_options(extra: str = "") -> list[str]:
    """The local broker's JVM flags; ``extra`` (``KASANE_KAFKA_JVM_OPTS``, shell words) is
    appended, so a later flag overrides one of these (the JVM keeps the last)."""
    return [*JVM_HEAP, *shlex.split(extra)]


def log4j2_properties(log_file: Path) -> dict[str, str]:
    """log4j2 config sending everything to one size-capped file.

    The Maven artifacts ship no logging config; without one log4j2 logs errors only.
    """
    return {
        "status": "warn",
        "name": "kasane-kafka",
        # Kafka logs its own shutdown; log4j's hook would close the file before it finishes.
        "shutdownHook": "disable",
        "appender.file.type": "RollingFile",
        "appender.file.name": "FILE",
        "appender.file.fileName": str(log_file),
        "appender.file.filePattern": f"{log_file}.%i",
        "appender.file.layout.type": "PatternLayout",
        "appender.file.layout.pattern": "[%d] %p %m (%c)%n",
        "appender.file.policies.type": "Policies",
        "appender.file.policies.size.type": "SizeBasedTriggeringPolicy",
        "appender.file.policies.size.size": "20MB",
        "appender.file.strategy.type": "DefaultRolloverStrategy",
        "appender.file.strategy.max": "3",
        "rootLogger.level": "INFO",
        "rootLogger.appenderRef.file.ref": "FILE",
        # Request logging at INFO would log every metadata poll.
        "logger.request.name": "kafka.request.logger",
        "logger.request.level": "WARN",
    }


def render_properties(values: dict[str, str], header: str) -> str:
    """Java .properties text; values here are plain (no escapes needed on POSIX paths)."""
    lines = [f"# {header}"]
    lines.extend(f"{key}={value}" for key, value in values.items())
    return "\n".join(lines) + "\n"


def scram_arguments(users: dict[str, str]) -> list[str]:
    """StorageTool ``--add-scram`` arguments creating each user (name -> password)."""
    args: list[str] = []
    for name, password in users.items():
        args += ["--add-scram", f"SCRAM-SHA-512=[name={name},password={password}]"]
    return args


def new_cluster_id(random_bytes: Callable[[], bytes] = lambda: uuid.uuid4().bytes) -> str:
    """A KRaft cluster id like `kafka-storage random-uuid`: urlsafe base64 of 16 bytes.

    A leading '-' would be read as a command-line option, so such ids are redrawn.
    """
    while True:
        candidate = base64.urlsafe_b64encode(random_bytes()).decode("ascii").rstrip("=")
        if not candidate.startswith("-"):
            return candidate
