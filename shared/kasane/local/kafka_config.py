"""Pure parts of the local Kafka broker: folder layout, properties files, cluster id.

No I/O here, so the rendering rules are unit-testable.
"""

from __future__ import annotations

import base64
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


def server_properties(data_dir: Path, port: int, controller_port: int) -> dict[str, str]:
    """Settings for one combined broker+controller KRaft node bound to loopback only."""
    return {
        "process.roles": "broker,controller",
        "node.id": "1",
        # Static voter: no --standalone at format time, no dynamic quorum to bootstrap.
        "controller.quorum.voters": f"1@127.0.0.1:{controller_port}",
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
        # Inter-broker traffic on the advertised listener avoids a single-node txn pitfall.
        "inter.broker.listener.name": "PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
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
        "auto.create.topics.enable": "true",
        "num.partitions": "3",
        # Events are kept forever: indicators rebuild from offset 0 (DESIGN section 4).
        "log.retention.ms": "-1",
    }


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


def new_cluster_id(random_bytes: Callable[[], bytes] = lambda: uuid.uuid4().bytes) -> str:
    """A KRaft cluster id like `kafka-storage random-uuid`: urlsafe base64 of 16 bytes.

    A leading '-' would be read as a command-line option, so such ids are redrawn.
    """
    while True:
        candidate = base64.urlsafe_b64encode(random_bytes()).decode("ascii").rstrip("=")
        if not candidate.startswith("-"):
            return candidate
