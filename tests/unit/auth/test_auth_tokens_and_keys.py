"""Bearer tokens (EdDSA): mint/verify, every rejection path, and the dev key files."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest

from kasane.auth.keys import PRIVATE_NAME, PUBLIC_NAME, ensure_dev_keys, generate_pem_pair
from kasane.auth.principal import ROLES, Principal
from kasane.auth.tokens import InvalidToken, TokenVerifier, mint, mint_dev_token


@pytest.fixture(scope="module")
def pair() -> tuple[bytes, bytes]:
    return generate_pem_pair()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(**overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": "staff-1",
        "agency": "jiritsu",
        "roles": ["counselor"],
        "aud": "kasane",
        "iss": "kasane-dev",
        "iat": now,
        "exp": now + timedelta(hours=1),
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def test_mint_then_verify_gives_the_principal(pair: tuple[bytes, bytes]) -> None:
    private, public = pair
    token = mint(private, sub="staff-9", agency="jiritsu", roles=["counselor", "manager"])
    principal = TokenVerifier(public).verify(token)
    assert principal == Principal(
        sub="staff-9", agency="jiritsu", roles=frozenset({"counselor", "manager"})
    )
    assert principal.has_any("manager")
    assert not principal.has_any("auditor")


def test_minted_token_is_eddsa_with_the_designed_claims(pair: tuple[bytes, bytes]) -> None:
    private, public = pair
    token = mint(
        private, sub="s", agency="city-chiiki-fukushi", roles=["auditor"], ttl=timedelta(minutes=5)
    )
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
    claims = jwt.decode(token, public, algorithms=["EdDSA"], audience="kasane")
    assert {"sub", "agency", "roles", "aud", "exp", "iat", "iss"} <= set(claims)
    assert 0 < claims["exp"] - claims["iat"] <= 5 * 60


# An agency whose kind may hold each role (kasane.auth.agency_rules).
AGENCY_FOR_ROLE = {
    "counselor": "jiritsu",
    "coordinator": "shakyo",
    "manager": "aso",
    "city_official": "city-chiiki-fukushi",
    "auditor": "city-choju",
    "partner": "hellowork-kurume",
}


@pytest.mark.parametrize("role", ROLES)
def test_every_known_role_can_be_minted(pair: tuple[bytes, bytes], role: str) -> None:
    private, public = pair
    token = mint(private, sub="s", agency=AGENCY_FOR_ROLE[role], roles=[role])
    assert TokenVerifier(public).verify(token).roles == frozenset({role})


def test_unknown_role_is_refused_at_mint(pair: tuple[bytes, bytes]) -> None:
    private, _ = pair
    with pytest.raises(ValueError, match="superuser"):
        mint(private, sub="s", agency="jiritsu", roles=["counselor", "superuser"])


def test_token_signed_by_another_key_is_invalid(pair: tuple[bytes, bytes]) -> None:
    other_private, _ = generate_pem_pair()
    _, public = pair
    token = mint(other_private, sub="s", agency="jiritsu", roles=["counselor"])
    with pytest.raises(InvalidToken):
        TokenVerifier(public).verify(token)


def test_wrong_audience_is_invalid(pair: tuple[bytes, bytes]) -> None:
    private, public = pair
    token = mint(private, sub="s", agency="jiritsu", roles=["counselor"], audience="other-city")
    with pytest.raises(InvalidToken):
        TokenVerifier(public).verify(token)
    # The same token is fine for a verifier of that audience.
    assert TokenVerifier(public, audience="other-city").verify(token).sub == "s"


def test_expired_token_is_invalid(pair: tuple[bytes, bytes]) -> None:
    private, public = pair
    token = mint(private, sub="s", agency="jiritsu", roles=["counselor"], ttl=timedelta(seconds=-1))
    with pytest.raises(InvalidToken):
        TokenVerifier(public).verify(token)


@pytest.mark.parametrize("missing", ["agency", "roles"])
def test_missing_agency_or_roles_is_invalid(pair: tuple[bytes, bytes], missing: str) -> None:
    private, public = pair
    token = jwt.encode(_claims(**{missing: None}), private, algorithm="EdDSA")
    with pytest.raises(InvalidToken):
        TokenVerifier(public).verify(token)


@pytest.mark.parametrize(
    "override", [{"agency": 42}, {"roles": "counselor"}, {"roles": {"a": 1}}], ids=str
)
def test_badly_typed_agency_or_roles_is_invalid(
    pair: tuple[bytes, bytes], override: dict[str, Any]
) -> None:
    private, public = pair
    token = jwt.encode(_claims(**override), private, algorithm="EdDSA")
    with pytest.raises(InvalidToken):
        TokenVerifier(public).verify(token)


@pytest.mark.parametrize("missing", ["exp", "aud", "sub"])
def test_missing_registered_claims_are_invalid(pair: tuple[bytes, bytes], missing: str) -> None:
    private, public = pair
    token = jwt.encode(_claims(**{missing: None}), private, algorithm="EdDSA")
    with pytest.raises(InvalidToken):
        TokenVerifier(public).verify(token)


def test_hand_built_valid_token_verifies(pair: tuple[bytes, bytes]) -> None:
    # Control for the rejection tests below: the same claims, properly signed, pass.
    private, public = pair
    token = jwt.encode(_claims(), private, algorithm="EdDSA")
    assert TokenVerifier(public).verify(token).agency == "jiritsu"


def test_alg_none_token_is_invalid(pair: tuple[bytes, bytes]) -> None:
    _, public = pair
    claims = _claims()
    claims["iat"] = int(claims["iat"].timestamp())
    claims["exp"] = int(claims["exp"].timestamp())
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    for token in (f"{header}.{body}.", f"{header}.{body}"):
        with pytest.raises(InvalidToken):
            TokenVerifier(public).verify(token)


def test_hs256_token_keyed_with_the_public_key_is_invalid(pair: tuple[bytes, bytes]) -> None:
    # Algorithm confusion: an attacker who knows the public PEM signs HS256 with it.
    _, public = pair
    claims = _claims()
    claims["iat"] = int(claims["iat"].timestamp())
    claims["exp"] = int(claims["exp"].timestamp())
    signing_input = (
        _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        + "."
        + _b64(json.dumps(claims).encode())
    )
    signature = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{_b64(signature)}"
    with pytest.raises(InvalidToken):
        TokenVerifier(public).verify(token)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x.y.z"])
def test_garbage_is_invalid(pair: tuple[bytes, bytes], garbage: str) -> None:
    _, public = pair
    with pytest.raises(InvalidToken):
        TokenVerifier(public).verify(garbage)


def test_tampered_payload_is_invalid(pair: tuple[bytes, bytes]) -> None:
    private, public = pair
    token = mint(private, sub="s", agency="jiritsu", roles=["counselor"])
    header, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["roles"] = ["manager"]
    forged = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    with pytest.raises(InvalidToken):
        TokenVerifier(public).verify(forged)


def test_ensure_dev_keys_creates_a_private_key_readable_only_by_its_owner(
    tmp_path: Path,
) -> None:
    keys_dir = tmp_path / "state" / "keys"
    private_path, public_path = ensure_dev_keys(keys_dir)
    assert private_path == keys_dir / PRIVATE_NAME
    assert public_path == keys_dir / PUBLIC_NAME
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    assert private_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_path.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")


def test_ensure_dev_keys_is_idempotent(tmp_path: Path) -> None:
    first = ensure_dev_keys(tmp_path)
    private, public = (p.read_bytes() for p in first)
    second = ensure_dev_keys(tmp_path)
    assert second == first
    assert second[0].read_bytes() == private
    assert second[1].read_bytes() == public
    assert stat.S_IMODE(second[0].stat().st_mode) == 0o600


def test_dev_keys_form_a_working_pair(tmp_path: Path) -> None:
    _, public_path = ensure_dev_keys(tmp_path)
    token = mint_dev_token(tmp_path, "staff-2", "jiritsu", ["coordinator"], ttl_minutes=5)
    principal = TokenVerifier(public_path.read_bytes()).verify(token)
    assert principal == Principal("staff-2", "jiritsu", frozenset({"coordinator"}))


def test_generated_pairs_differ() -> None:
    assert generate_pem_pair()[0] != generate_pem_pair()[0]
