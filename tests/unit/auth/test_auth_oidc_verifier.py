"""OIDC access-token verification against an in-memory provider (discovery + JWKS).

The real Keycloak is exercised in tests/integration/auth; these pin the rules that are hard
to provoke there: key rotation, algorithm confusion, claim mapping, refresh throttling.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from kasane.auth.claims import ClaimNames, claim_at, principal_from_claims
from kasane.auth.errors import InvalidToken
from kasane.auth.issuers import MultiIssuerVerifier, issuer_configs
from kasane.auth.keys import generate_pem_pair
from kasane.auth.oidc import (
    Discovery,
    IssuerConfig,
    OidcVerifier,
    ProviderUnavailable,
    signing_keys,
)
from kasane.auth.tokens import TokenVerifier, mint

ISSUER = "https://idp.example.test/realms/kasane"


def _jwk(key: Any, kid: str, alg: str) -> dict[str, Any]:
    algo = jwt.get_algorithm_by_name(alg)
    entry: dict[str, Any] = json.loads(algo.to_jwk(key.public_key()))
    entry.update(kid=kid, alg=alg, use="sig")
    return entry


class Provider:
    """Discovery document and a JWK set that the test can rotate; counts fetches."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[Any, str]] = {}
        self.fetches: list[str] = []
        self.add("k1", rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256")

    def add(self, kid: str, key: Any, alg: str) -> None:
        self.keys[kid] = (key, alg)

    def fetch(self, url: str) -> Mapping[str, Any]:
        self.fetches.append(url)
        if url.endswith("/.well-known/openid-configuration"):
            return {
                "issuer": ISSUER,
                "jwks_uri": f"{ISSUER}/certs",
                "authorization_endpoint": f"{ISSUER}/auth",
                "token_endpoint": f"{ISSUER}/token",
                "end_session_endpoint": f"{ISSUER}/logout",
            }
        return {"keys": [_jwk(key, kid, alg) for kid, (key, alg) in self.keys.items()]}

    def sign(self, claims: dict[str, Any], kid: str = "k1") -> str:
        key, alg = self.keys[kid]
        return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


def _claims(**overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": "kasane",
        "sub": "user-1",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "agency": "jiritsu",
        "roles": ["counselor", "offline_access"],
    }
    claims.update(overrides)
    return claims


def _verifier(provider: Provider, **config: Any) -> OidcVerifier:
    return OidcVerifier(IssuerConfig(ISSUER, leeway_s=0, **config), fetch=provider.fetch)


def test_valid_token_gives_principal_with_known_roles_only() -> None:
    provider = Provider()
    principal = _verifier(provider).verify(provider.sign(_claims()))
    assert (principal.sub, principal.agency) == ("user-1", "jiritsu")
    assert principal.roles == frozenset({"counselor"})


@pytest.mark.parametrize("alg", ["ES256", "EdDSA"])
def test_es256_and_eddsa_keys_are_accepted(alg: str) -> None:
    provider = Provider()
    key = ec.generate_private_key(ec.SECP256R1()) if alg == "ES256" else None
    provider.add("k2", key or ed25519.Ed25519PrivateKey.generate(), alg)
    assert _verifier(provider).verify(provider.sign(_claims(), "k2")).agency == "jiritsu"


def test_rotated_key_is_fetched_without_restart_and_old_kid_keeps_cache() -> None:
    provider = Provider()
    now = [0.0]
    verifier = OidcVerifier(
        IssuerConfig(ISSUER), fetch=provider.fetch, refresh_interval_s=10, clock=lambda: now[0]
    )
    verifier.verify(provider.sign(_claims()))
    fetched = len(provider.fetches)  # discovery + one JWKS
    now[0] = 3600.0
    verifier.verify(provider.sign(_claims()))
    assert len(provider.fetches) == fetched  # cached: a known kid never refetches
    provider.add("k2", rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256")
    assert verifier.verify(provider.sign(_claims(), "k2")).sub == "user-1"
    assert len(provider.fetches) == fetched + 1  # exactly one refetch for the new kid


def test_unknown_kid_refetches_at_most_once_per_interval() -> None:
    provider = Provider()
    now = [0.0]
    verifier = OidcVerifier(
        IssuerConfig(ISSUER), fetch=provider.fetch, refresh_interval_s=10, clock=lambda: now[0]
    )
    token = provider.sign(_claims())
    verifier.verify(token)
    forged = jwt.encode(
        _claims(),
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        algorithm="RS256",
        headers={"kid": "made-up"},
    )
    before = len(provider.fetches)
    for _ in range(5):
        with pytest.raises(InvalidToken, match="unknown signing key"):
            verifier.verify(forged)
    assert len(provider.fetches) == before  # the first fetch at t=0 is still fresh
    now[0] = 11.0
    with pytest.raises(InvalidToken):
        verifier.verify(forged)
    assert len(provider.fetches) == before + 1


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_none_and_symmetric_algorithms_are_refused(alg: str) -> None:
    provider = Provider()
    # HS256 "signed" with the public key's bytes: the classic algorithm-confusion forgery.
    # PyJWT takes "" as no key for "none".
    secret = "public-key-as-hmac-secret-32bytes!!" if alg == "HS256" else ""
    token = jwt.encode(_claims(), secret, algorithm=alg, headers={"kid": "k1"})
    with pytest.raises(InvalidToken, match="not accepted"):
        _verifier(provider).verify(token)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "account"}, "(?i)audience"),
        ({"iss": "https://other.example.test/realms/kasane"}, "(?i)issuer"),
        # Offsets from now, resolved when the test runs (not when the module is collected).
        ({"exp": timedelta(seconds=-5)}, "expired"),
        ({"nbf": timedelta(minutes=5)}, "not yet valid"),
        ({"agency": "npo-unknown"}, "unknown agency"),
        ({"agency": "shakyo"}, "do not fit"),  # 社協 has no counselors
    ],
)
def test_bad_claims_are_refused(overrides: dict[str, Any], reason: str) -> None:
    now = datetime.now(UTC)
    overrides = {k: now + v if isinstance(v, timedelta) else v for k, v in overrides.items()}
    provider = Provider()
    with pytest.raises(InvalidToken, match=reason):
        _verifier(provider).verify(provider.sign(_claims(**overrides)))


def test_key_of_another_alg_cannot_sign_for_this_kid() -> None:
    provider = Provider()
    other = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode(_claims(), other, algorithm="ES256", headers={"kid": "k1"})
    with pytest.raises(InvalidToken, match="is for RS256"):
        _verifier(provider).verify(token)


def test_claim_names_are_mappable_for_other_providers() -> None:
    provider = Provider()
    claims = _claims(realm_access={"roles": ["coordinator"]}, extension_agency="shakyo")
    del claims["roles"], claims["agency"]
    verifier = _verifier(
        provider, claims=ClaimNames(agency="extension_agency", roles="realm_access.roles")
    )
    principal = verifier.verify(provider.sign(claims))
    assert (principal.agency, principal.roles) == ("shakyo", frozenset({"coordinator"}))
    assert claim_at({"a": {"b": 1}}, "a.c") is None


def test_one_element_agency_list_is_unwrapped_and_roles_must_be_a_list() -> None:
    principal = principal_from_claims({"sub": "s", "agency": ["aso"], "roles": ["coordinator"]})
    assert principal.agency == "aso"
    with pytest.raises(InvalidToken, match="lacks the agency"):
        principal_from_claims({"sub": "s", "agency": "aso", "roles": "coordinator"})


def test_discovery_for_another_issuer_is_refused() -> None:
    with pytest.raises(ProviderUnavailable, match="names issuer"):
        Discovery.parse(ISSUER, {"issuer": "https://evil.example.test", "jwks_uri": "x"})


def test_encryption_keys_and_disallowed_algorithms_are_not_signing_keys() -> None:
    provider = Provider()
    jwks = provider.fetch(f"{ISSUER}/certs")
    entries = [dict(jwks["keys"][0], kid="enc", use="enc"), dict(jwks["keys"][0], kid="ps")]
    entries[1]["alg"] = "PS512"
    assert signing_keys({"keys": [*jwks["keys"], *entries]}).keys() == {"k1"}


def test_multi_issuer_routes_by_iss_and_refuses_untrusted_issuers() -> None:
    provider = Provider()
    private, public = generate_pem_pair()
    city = TokenVerifier(public)
    multi = MultiIssuerVerifier([city, _verifier(provider)])
    minted = mint(private, sub="svc", agency="city-chiiki-fukushi", roles=["city_official"])
    assert multi.verify(minted).sub == "svc"
    assert multi.verify(provider.sign(_claims())).sub == "user-1"
    stranger = provider.sign(_claims(iss="https://stranger.example.test"))
    with pytest.raises(InvalidToken, match="not trusted"):
        multi.verify(stranger)
    # A token claiming the IdP's issuer but signed with the city key fails the IdP's check.
    forged = jwt.encode(_claims(), private, algorithm="EdDSA", headers={"kid": "k1"})
    with pytest.raises(InvalidToken):
        multi.verify(forged)


def test_issuer_settings_accept_urls_and_objects() -> None:
    configs = issuer_configs(
        [ISSUER, {"issuer": "https://login.example.test/v2.0", "roles_claim": "roles",
                  "agency_claim": "extension_kasaneAgency", "audience": "api://kasane"}],
    )  # fmt: skip
    assert configs[0] == IssuerConfig(ISSUER)
    assert configs[1].claims.agency == "extension_kasaneAgency"
    assert configs[1].audience == "api://kasane"
    inside = issuer_configs([{"issuer": ISSUER, "discovery_url": "http://keycloak:8080/d"}])
    provider = Provider()
    fetched: list[str] = []

    def fetch(url: str) -> Mapping[str, Any]:
        fetched.append(url)
        return provider.fetch(
            f"{ISSUER}/.well-known/openid-configuration" if url.endswith("/d") else url
        )

    verifier = OidcVerifier(inside[0], fetch=fetch)
    assert verifier.discovery().issuer == ISSUER and fetched == ["http://keycloak:8080/d"]
    with pytest.raises(ValueError, match="unknown keys"):
        issuer_configs([{"issuer": ISSUER, "group_claim": "groups"}])
