"""Which key signs exported audit heads, and where the heads file goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit_sealer import heads_file, signing_key
from kasane.auth.keys import ensure_dev_keys
from kasane.settings import Settings


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _public_raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_without_any_key_nothing_signs(tmp_path: Path) -> None:
    assert signing_key(Settings(state_dir=tmp_path)) is None


def test_the_development_key_signs_by_default(tmp_path: Path) -> None:
    private_path, _ = ensure_dev_keys(tmp_path / "keys")
    dev = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    assert isinstance(dev, Ed25519PrivateKey)
    key = signing_key(Settings(state_dir=tmp_path))
    assert key is not None and _public_raw(key) == _public_raw(dev)


def test_a_configured_key_wins_over_the_development_key(tmp_path: Path) -> None:
    ensure_dev_keys(tmp_path / "keys")
    own = Ed25519PrivateKey.generate()
    path = tmp_path / "intake-audit.pem"
    path.write_bytes(_pem(own))
    key = signing_key(Settings(state_dir=tmp_path, audit_signing_key_file=str(path)))
    assert key is not None and _public_raw(key) == _public_raw(own)


def test_a_key_that_is_not_ed25519_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ec.pem"
    path.write_bytes(
        generate_private_key(SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(RuntimeError, match="Ed25519"):
        signing_key(Settings(state_dir=tmp_path, audit_signing_key_file=str(path)))


def test_heads_file_is_per_database_under_the_state_folder_unless_configured(
    tmp_path: Path,
) -> None:
    assert heads_file(Settings(state_dir=tmp_path), "intake") == (
        tmp_path / "audit" / "intake.heads.jsonl"
    )
    elsewhere = tmp_path / "archive"
    assert heads_file(Settings(state_dir=tmp_path, audit_heads_dir=str(elsewhere)), "intake") == (
        elsewhere / "intake.heads.jsonl"
    )
