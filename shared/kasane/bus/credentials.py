"""Kafka credentials: one SCRAM principal per service, plus the admin that provisions.

Each service connects as its own principal (``User:<service>``), so the broker's ACLs
(:mod:`kasane.bus.acls`) decide what it may write and read. The secrets live in one JSON
file per principal (``<secrets_dir>/<principal>.json``, mode 0600); an operator's
deployment holds only its own service's file, the admin's file stays with whoever runs the
broker.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faststream.security import BaseSecurity, SASLScram512

from kasane.settings import Settings

MECHANISM = "SCRAM-SHA-512"
ADMIN = "kasane-admin"  # provisions users, topics and ACLs; the broker's super user


@dataclass(frozen=True)
class KafkaCredentials:
    username: str
    password: str

    def to_json(self) -> str:
        data = {"username": self.username, "password": self.password, "mechanism": MECHANISM}
        return json.dumps(data)


@dataclass(frozen=True)
class KafkaAccess:
    """Everything a client needs to reach the broker as one principal."""

    bootstrap: str
    security_protocol: str
    credentials: KafkaCredentials | None

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for aiokafka's producer, consumer and admin client."""
        kwargs: dict[str, Any] = {"bootstrap_servers": self.bootstrap}
        if self.credentials is not None and self.security_protocol.startswith("SASL"):
            kwargs.update(
                security_protocol=self.security_protocol,
                sasl_mechanism=MECHANISM,
                sasl_plain_username=self.credentials.username,
                sasl_plain_password=self.credentials.password,
            )
        return kwargs

    def faststream_security(self) -> BaseSecurity | None:
        if self.credentials is None or not self.security_protocol.startswith("SASL"):
            return None
        return SASLScram512(
            self.credentials.username,
            self.credentials.password,
            use_ssl=self.security_protocol == "SASL_SSL",
        )


def new_password() -> str:
    return secrets.token_urlsafe(32)


def secret_path(secrets_dir: Path, principal: str) -> Path:
    return secrets_dir / f"{principal}.json"


def read_credentials(path: Path) -> KafkaCredentials:
    data = json.loads(path.read_text(encoding="utf-8"))
    return KafkaCredentials(str(data["username"]), str(data["password"]))


def ensure_credentials(secrets_dir: Path, principals: list[str]) -> dict[str, KafkaCredentials]:
    """Create a secret for each principal that has none; keep existing ones."""
    secrets_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(secrets_dir, 0o700)
    found: dict[str, KafkaCredentials] = {}
    for principal in principals:
        path = secret_path(secrets_dir, principal)
        if not path.exists():
            creds = KafkaCredentials(principal, new_password())
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(creds.to_json() + "\n")
        found[principal] = read_credentials(path)
    return found


def kafka_access(settings: Settings, principal: str) -> KafkaAccess:
    """How ``principal`` (a service name or :data:`ADMIN`) reaches the configured broker.

    Explicit ``KASANE_KAFKA_USERNAME``/``PASSWORD`` win; else the principal's secret file;
    an unauthenticated broker (``KASANE_KAFKA_SECURITY_PROTOCOL=PLAINTEXT``) needs none.
    """
    protocol = settings.kafka_security_protocol
    if not protocol.startswith("SASL"):
        return KafkaAccess(settings.kafka_bootstrap, protocol, None)
    if settings.kafka_username:
        creds = KafkaCredentials(settings.kafka_username, settings.kafka_password)
        return KafkaAccess(settings.kafka_bootstrap, protocol, creds)
    path = secret_path(settings.kafka_secrets_path, principal)
    if not path.exists():
        raise RuntimeError(
            f"Kafka credentials of {principal!r} not found at {path}: run `kasane up` once, "
            "or set KASANE_KAFKA_SECRETS_DIR / KASANE_KAFKA_USERNAME and KASANE_KAFKA_PASSWORD"
        )
    return KafkaAccess(settings.kafka_bootstrap, protocol, read_credentials(path))
