"""Sealing the user's tokens at rest with a key only the browser holds.

The portal keeps each user's access and refresh tokens to call the services as that user.
They are stored AES-256-GCM sealed under a key derived (HKDF-SHA256) from the session
cookie's secret, and the table's key is the secret's SHA-256: the database never holds what
opens them. A stolen table opens nothing; a stolen cookie was already the session.
"""

from __future__ import annotations

import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"kasane-portal session tokens v1"
_NONCE_BYTES = 12


class Unsealable(Exception):
    """Not sealed under this secret (another session's row, or tampered with)."""


def _key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret.encode("utf-8")
    )


def seal(secret: str, payload: dict[str, Any]) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    plain = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return nonce + AESGCM(_key(secret)).encrypt(nonce, plain, _INFO)


def unseal(secret: str, sealed: bytes) -> dict[str, Any]:
    nonce, body = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
    try:
        plain = AESGCM(_key(secret)).decrypt(nonce, body, _INFO)
    except (InvalidTag, ValueError) as exc:
        raise Unsealable from exc
    found: dict[str, Any] = json.loads(plain)
    return found
