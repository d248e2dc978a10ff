"""Which issuers a service trusts, and the verifier that routes a token to its issuer.

Two kinds of issuer sit side by side:

- the city's Ed25519 key (``KASANE_JWT_ISSUER``, default ``kasane-dev``): tokens minted by
  ``kasane token`` for scripts, service-to-service calls and tests;
- OpenID Connect providers (``KASANE_OIDC_ISSUERS``): Keycloak (embedded by ``kasane up``),
  or the city's Entra ID / AD FS, whose claim names may differ.

A token names its issuer (``iss``); that claim is read *unverified* only to pick the
verifier, which then checks the signature with that issuer's keys and ``iss`` again. A
token naming an issuer not on the list is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import jwt

from kasane.auth.claims import ClaimNames
from kasane.auth.errors import InvalidToken
from kasane.auth.oidc import IssuerConfig, OidcVerifier
from kasane.auth.principal import Principal
from kasane.auth.token_cache import VerifiedTokenCache
from kasane.auth.tokens import TokenVerifier
from kasane.settings import Settings


class Verifier(Protocol):
    @property
    def issuer(self) -> str: ...

    def verify(self, token: str) -> Principal: ...


class MultiIssuerVerifier:
    """``app.state.token_verifier``: one verifier per trusted issuer, and the tokens it
    has already verified (``kasane.auth.token_cache``)."""

    def __init__(
        self, verifiers: Iterable[Verifier], cache: VerifiedTokenCache | None = None
    ) -> None:
        self._cache = cache if cache is not None else VerifiedTokenCache()
        self._by_issuer: dict[str, Verifier] = {}
        for verifier in verifiers:
            if verifier.issuer in self._by_issuer:
                raise ValueError(f"issuer {verifier.issuer!r} configured twice")
            self._by_issuer[verifier.issuer] = verifier

    @property
    def issuers(self) -> tuple[str, ...]:
        return tuple(self._by_issuer)

    def for_issuer(self, issuer: str) -> Verifier | None:
        return self._by_issuer.get(issuer)

    def cached(self, token: str) -> Principal | None:
        """The principal of a token verified before and not yet expired; never does I/O."""
        return self._cache.get(token)

    def verify(self, token: str) -> Principal:
        known = self._cache.get(token)
        if known is not None:
            return known
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        issuer = unverified.get("iss")
        verifier = self._by_issuer.get(issuer) if isinstance(issuer, str) else None
        if verifier is None:
            raise InvalidToken(f"issuer {issuer!r} is not trusted")
        principal = verifier.verify(token)
        # Verified now, so the payload read above is the signed one: its exp is trusted.
        self._cache.put(token, principal, unverified.get("exp"))
        return principal


def issuer_configs(
    entries: Sequence[str | Mapping[str, Any]],
    *,
    audience: str = "kasane",
    agency_claim: str = "agency",
    roles_claim: str = "roles",
    leeway_s: int = 30,
) -> list[IssuerConfig]:
    """Parse KASANE_OIDC_ISSUERS: URLs, or objects overriding audience and claim names."""
    configs = []
    for entry in entries:
        if isinstance(entry, str):
            entry = {"issuer": entry}
        issuer = str(entry.get("issuer", "")).strip()
        if not issuer:
            raise ValueError(f"KASANE_OIDC_ISSUERS entry without an issuer: {entry!r}")
        unknown = set(entry) - {
            "issuer", "audience", "agency_claim", "roles_claim", "discovery_url",
        }  # fmt: skip
        if unknown:
            raise ValueError(f"KASANE_OIDC_ISSUERS entry {issuer}: unknown keys {sorted(unknown)}")
        configs.append(
            IssuerConfig(
                issuer=issuer,
                audience=str(entry.get("audience", audience)),
                claims=ClaimNames(
                    agency=str(entry.get("agency_claim", agency_claim)),
                    roles=str(entry.get("roles_claim", roles_claim)),
                ),
                leeway_s=leeway_s,
                discovery_url=str(entry["discovery_url"]) if entry.get("discovery_url") else None,
            )
        )
    return configs


def oidc_verifiers(settings: Settings) -> list[OidcVerifier]:
    return [
        OidcVerifier(config)
        for config in issuer_configs(
            settings.oidc_issuers,
            audience=settings.oidc_audience,
            agency_claim=settings.oidc_agency_claim,
            roles_claim=settings.oidc_roles_claim,
            leeway_s=settings.oidc_leeway_s,
        )
    ]


def build_token_verifier(settings: Settings, city_public_pem: bytes) -> MultiIssuerVerifier:
    """Every issuer the settings trust: the city key first, then the OIDC providers."""
    city = TokenVerifier(city_public_pem, settings.jwt_audience, settings.jwt_issuer)
    return MultiIssuerVerifier([city, *oidc_verifiers(settings)])
