"""Verifying access tokens of an OpenID Connect identity provider (Keycloak, Entra ID, AD FS).

The provider is found by OIDC discovery (``<issuer>/.well-known/openid-configuration``);
its signing keys come from the ``jwks_uri`` and are cached. A token signed with a key id
the cache does not know makes the verifier fetch the key set again (at most once per
``refresh_interval_s``, so a flood of made-up key ids cannot turn every request into a
call to the provider): the provider can rotate its keys and services follow without a
restart.

Only asymmetric algorithms are accepted (``ALLOWED_ALGORITHMS``); "none" and HS* never are,
whatever the token's header says. ``iss``, ``aud``, ``exp`` and ``nbf`` are checked by
PyJWT; the claims then go through kasane.auth.claims like every other issuer's.

The HTTP calls are synchronous: they happen once per process and on key rotation only, and
FastAPI runs the synchronous ``authenticated`` dependency in a worker thread.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from kasane.auth.claims import DEFAULT_CLAIMS, ClaimNames, principal_from_claims
from kasane.auth.errors import InvalidToken
from kasane.auth.principal import Principal

ALLOWED_ALGORITHMS: frozenset[str] = frozenset({"RS256", "ES256", "EdDSA"})
DISCOVERY_PATH = "/.well-known/openid-configuration"

# GET url -> parsed JSON; injectable so unit tests need no server.
Fetch = Callable[[str], Mapping[str, Any]]


class ProviderUnavailable(InvalidToken):
    """The provider's discovery document or keys could not be fetched (→ 401, logged)."""


def http_fetch(url: str) -> Mapping[str, Any]:
    try:
        response = httpx.get(url, timeout=5.0, follow_redirects=False)
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, json.JSONDecodeError) as exc:
        raise ProviderUnavailable(f"{url}: {type(exc).__name__}") from exc
    if not isinstance(body, Mapping):
        raise ProviderUnavailable(f"{url}: not a JSON object")
    return body


@dataclass(frozen=True)
class IssuerConfig:
    issuer: str
    audience: str = "kasane"
    claims: ClaimNames = DEFAULT_CLAIMS
    leeway_s: int = 30
    # Where this service fetches discovery when the issuer URL is not reachable from it
    # (compose: the browser's 127.0.0.1:38180 vs the network's keycloak:8080). The
    # document must still name ``issuer``.
    discovery_url: str | None = None


@dataclass(frozen=True)
class Discovery:
    issuer: str
    jwks_uri: str
    authorization_endpoint: str
    token_endpoint: str
    end_session_endpoint: str | None

    @classmethod
    def parse(cls, expected_issuer: str, document: Mapping[str, Any]) -> Discovery:
        # A discovery document for another issuer (a misconfigured proxy, a wrong URL)
        # would make us trust that issuer's keys for ours.
        if document.get("issuer") != expected_issuer:
            raise ProviderUnavailable(
                f"discovery at {expected_issuer} names issuer {document.get('issuer')!r}"
            )
        try:
            return cls(
                issuer=expected_issuer,
                jwks_uri=str(document["jwks_uri"]),
                authorization_endpoint=str(document.get("authorization_endpoint", "")),
                token_endpoint=str(document.get("token_endpoint", "")),
                end_session_endpoint=(
                    str(document["end_session_endpoint"])
                    if document.get("end_session_endpoint")
                    else None
                ),
            )
        except KeyError as exc:
            raise ProviderUnavailable(f"discovery at {expected_issuer} lacks {exc}") from exc


def signing_keys(jwks: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    """kid → key for every usable signing key of a JWK set (encryption keys are skipped)."""
    keys: dict[str, jwt.PyJWK] = {}
    for entry in jwks.get("keys", []):
        if not isinstance(entry, Mapping) or entry.get("use", "sig") != "sig":
            continue
        kid = entry.get("kid")
        alg = entry.get("alg")
        if not isinstance(kid, str) or (alg is not None and alg not in ALLOWED_ALGORITHMS):
            continue
        try:
            keys[kid] = jwt.PyJWK(dict(entry))
        except jwt.PyJWTError:
            continue  # a key type this PyJWT cannot use: never needed for allowed algs
    return keys


class OidcVerifier:
    """Access tokens of one issuer."""

    def __init__(
        self,
        config: IssuerConfig,
        fetch: Fetch = http_fetch,
        refresh_interval_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self._fetch = fetch
        self._refresh_interval_s = refresh_interval_s
        self._clock = clock
        self._lock = threading.Lock()
        self._discovery: Discovery | None = None
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None

    @property
    def issuer(self) -> str:
        return self.config.issuer

    @property
    def cached_discovery(self) -> Discovery | None:
        """The discovery document if already fetched (never does I/O)."""
        return self._discovery

    def discovery(self) -> Discovery:
        with self._lock:
            if self._discovery is None:
                url = self.config.discovery_url or self.config.issuer.rstrip("/") + DISCOVERY_PATH
                document = self._fetch(url)
                self._discovery = Discovery.parse(self.config.issuer, document)
            return self._discovery

    def _key(self, kid: str) -> jwt.PyJWK:
        discovery = self.discovery()
        with self._lock:
            key = self._keys.get(kid)
            if key is not None:
                return key
            now = self._clock()
            if self._fetched_at is None or now - self._fetched_at >= self._refresh_interval_s:
                self._fetched_at = now
                self._keys = signing_keys(self._fetch(discovery.jwks_uri))
                key = self._keys.get(kid)
        if key is None:
            raise InvalidToken(f"unknown signing key {kid!r} for issuer {self.config.issuer}")
        return key

    def decode(self, token: str, audience: str | None = None) -> dict[str, Any]:
        """Verified claims (signature, iss, aud, exp, nbf), or InvalidToken.

        ``audience`` defaults to the configured one; the browser sign-in passes its client
        id to check an ID token.
        """
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in ALLOWED_ALGORITHMS:
            raise InvalidToken(f"algorithm {alg!r} is not accepted")
        if not isinstance(kid, str):
            raise InvalidToken("token header lacks kid")
        key = self._key(kid)
        if key.algorithm_name != alg:
            raise InvalidToken(f"key {kid!r} is for {key.algorithm_name}, token says {alg}")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[alg],
                audience=audience or self.config.audience,
                issuer=self.config.issuer,
                leeway=self.config.leeway_s,
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        return claims

    def verify(self, token: str) -> Principal:
        return principal_from_claims(self.decode(token), self.config.claims)
