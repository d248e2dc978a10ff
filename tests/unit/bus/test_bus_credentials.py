"""Which Kafka credentials a service uses (kasane.bus.credentials), no broker."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kasane.bus.credentials import (
    ADMIN,
    KafkaAccess,
    KafkaCredentials,
    ensure_credentials,
    kafka_access,
)
from kasane.settings import SERVICES, Settings
from kasane_dev.local.stack import compose_env


def test_each_principal_gets_its_own_secret_file_owner_only(tmp_path: Path) -> None:
    found = ensure_credentials(tmp_path / "secrets", ["intake", "meetings"])
    assert found["intake"].username == "intake"
    assert found["intake"].password != found["meetings"].password
    assert len(found["intake"].password) >= 32
    assert stat.S_IMODE((tmp_path / "secrets").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "secrets" / "intake.json").stat().st_mode) == 0o600
    # Created once: a second call keeps the secret the broker already knows.
    assert ensure_credentials(tmp_path / "secrets", ["intake"])["intake"] == found["intake"]


def test_a_service_connects_as_itself_from_the_secrets_folder(tmp_path: Path) -> None:
    settings = _isolated(tmp_path)
    ensure_credentials(settings.kafka_secrets_path, ["intake"])
    access = kafka_access(settings, "intake")
    kwargs = access.client_kwargs()
    assert kwargs["security_protocol"] == "SASL_PLAINTEXT"
    assert kwargs["sasl_mechanism"] == "SCRAM-SHA-512"
    assert kwargs["sasl_plain_username"] == "intake"
    security = access.faststream_security()
    assert security is not None and getattr(security, "username", None) == "intake"


def test_missing_secret_says_where_it_was_looked_for(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"meetings.*kafka/secrets/meetings\.json"):
        kafka_access(_isolated(tmp_path), "meetings")


def test_explicit_credentials_win_and_plaintext_needs_none(tmp_path: Path) -> None:
    explicit = _isolated(tmp_path, kafka_username="kasane-admin", kafka_password="p")
    assert kafka_access(explicit, "intake").credentials == KafkaCredentials("kasane-admin", "p")
    plain = _isolated(tmp_path, kafka_security_protocol="PLAINTEXT")
    access = kafka_access(plain, "intake")
    assert access.client_kwargs() == {"bootstrap_servers": plain.kafka_bootstrap}
    assert access.faststream_security() is None


def test_sasl_ssl_keeps_tls_on() -> None:
    access = KafkaAccess("k:9093", "SASL_SSL", KafkaCredentials("intake", "p"))
    assert access.client_kwargs()["security_protocol"] == "SASL_SSL"
    assert getattr(access.faststream_security(), "use_ssl", None) is True


def test_compose_env_names_every_secret_compose_interpolates() -> None:
    passwords = {name: f"pw-{name}" for name in [ADMIN, "controller", *SERVICES]}
    lines = dict(line.split("=", 1) for line in compose_env(passwords).splitlines() if "=" in line)
    assert lines["KASANE_KAFKA_ADMIN_PASSWORD"] == "pw-kasane-admin"
    assert lines["KASANE_KAFKA_CONTROLLER_PASSWORD"] == "pw-controller"
    for service in SERVICES:
        assert lines[f"KASANE_KAFKA_PASSWORD_{service.upper()}"] == f"pw-{service}"
    compose = (Path(__file__).resolve().parents[3] / "compose.yaml").read_text(encoding="utf-8")
    for name in lines:
        assert f"${{{name}:" in compose, name


def _isolated(state_dir: Path, **values: str) -> Settings:
    # Explicit values: a test session exports KASANE_KAFKA_* for its in-process services.
    defaults = {
        "kafka_security_protocol": "SASL_PLAINTEXT",
        "kafka_secrets_dir": "",
        "kafka_username": "",
        "kafka_password": "",
        "event_keys_dir": "",
        "event_signing_keys_dir": "",
    }
    return Settings(state_dir=state_dir, **{**defaults, **values})  # type: ignore[arg-type]
