"""Minting and verifying bearer tokens (EdDSA / Ed25519)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from kasane.auth.agency_rules import check_claims, describe_rule
from kasane.auth.claims import principal_from_claims
from kasane.auth.errors import InvalidToken
from kasane.auth.keys import ensure_dev_keys
from kasane.auth.principal import ROLES, Principal

__all__ = ["ALGORITHM", "InvalidToken", "TokenVerifier", "mint", "mint_dev_token"]

ALGORITHM = "EdDSA"


def mint(
    private_pem: bytes,
    *,
    sub: str,
    agency: str,
    roles: list[str],
    audience: str = "kasane",
    issuer: str = "kasane-dev",
    ttl: timedelta = timedelta(hours=8),
) -> str:
    """Sign any claims (as an identity provider would; tests use it to forge bad tokens).
    Staff tokens go through :func:`mint_dev_token`, which applies the agency rule."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s): {sorted(unknown)}; known: {list(ROLES)}")
    now = datetime.now(UTC)
    claims = {
        "sub": sub,
        "agency": agency,
        "roles": roles,
        "aud": audience,
        "iss": issuer,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, private_pem, algorithm=ALGORITHM)


def mint_dev_token(
    keys_dir: Path, sub: str, agency: str, roles: list[str], ttl_minutes: int = 480
) -> str:
    """A development token; refuses claims no verifier would accept (ValueError)."""
    try:
        check_claims(agency, roles)
    except InvalidToken as exc:
        raise ValueError(f"{exc}. {describe_rule()}") from None
    private_path, _ = ensure_dev_keys(keys_dir)
    return mint(
        private_path.read_bytes(),
        sub=sub,
        agency=agency,
        roles=roles,
        ttl=timedelta(minutes=ttl_minutes),
    )


class TokenVerifier:
    def __init__(
        self, public_pem: bytes, audience: str = "kasane", issuer: str = "kasane-dev"
    ) -> None:
        self._key = public_pem
        self._audience = audience
        self._issuer = issuer

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],  # never accept "none" or a symmetric algorithm
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "aud", "iss", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        # The same agency and role rules as for every other issuer (kasane.auth.claims).
        return principal_from_claims(claims)

    @property
    def issuer(self) -> str:
        return self._issuer
