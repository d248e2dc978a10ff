"""Ed25519 key pair for development tokens (generated on first ``kasane up``).

In production the city's identity provider signs tokens and services only receive the
public key (``KASANE_JWT_PUBLIC_KEY_FILE``); the private key never leaves the city.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PRIVATE_NAME = "dev-signing-key.pem"
PUBLIC_NAME = "dev-signing-key.pub.pem"


def generate_pem_pair() -> tuple[bytes, bytes]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


def ensure_dev_keys(keys_dir: Path) -> tuple[Path, Path]:
    """Create the development key pair once; later calls keep the existing one."""
    private_path, public_path = keys_dir / PRIVATE_NAME, keys_dir / PUBLIC_NAME
    if not private_path.exists():
        keys_dir.mkdir(parents=True, exist_ok=True)
        private, public = generate_pem_pair()
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(private)
        public_path.write_bytes(public)
    elif not public_path.exists():
        # The public half can always be derived again from the private key.
        key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        public_path.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    return private_path, public_path
