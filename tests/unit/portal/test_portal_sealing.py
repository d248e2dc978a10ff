"""Tokens at rest open only with the session's cookie secret."""

from __future__ import annotations

import pytest

from portal.domain.sealing import Unsealable, seal, unseal


def test_sealed_tokens_open_with_the_same_secret() -> None:
    payload = {"access": "eyJ.a.b", "refresh": "eyJ.r.s", "id": None}
    assert unseal("secret-1", seal("secret-1", payload)) == payload


def test_sealed_tokens_do_not_show_the_token() -> None:
    assert b"eyJ" not in seal("secret-1", {"access": "eyJ.a.b"})


def test_another_sessions_secret_cannot_open_them() -> None:
    with pytest.raises(Unsealable):
        unseal("secret-2", seal("secret-1", {"access": "x"}))


def test_a_tampered_blob_is_refused() -> None:
    sealed = bytearray(seal("secret-1", {"access": "x"}))
    sealed[-1] ^= 1
    with pytest.raises(Unsealable):
        unseal("secret-1", bytes(sealed))


def test_each_seal_uses_a_fresh_nonce() -> None:
    assert seal("s", {"a": 1}) != seal("s", {"a": 1})
