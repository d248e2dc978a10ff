"""The signed-in user's tokens: kept at sign-in, refreshed before they run out.

Keycloak's access tokens live minutes; a portal session lives up to the idle timeout. Each
call to a service uses a token valid for at least ``MARGIN`` more; an older one is refreshed
with the refresh token first. A refused refresh (the provider's session ended, the account
was disabled) ends the portal session too: the user signs in again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kasane.auth.errors import InvalidToken
from kasane.web.oidc_login import OidcLogin, TokenSet
from portal.domain.sealing import Unsealable, seal, unseal
from portal.store.tokens import TokenStore

MARGIN = timedelta(seconds=30)
# When the provider does not say how long an access token lives: refresh after a minute.
DEFAULT_LIFETIME = timedelta(minutes=1)


class SignedOut(Exception):
    """No usable tokens for this session: sign in again."""


def _payload(tokens: TokenSet) -> dict[str, Any]:
    return {"access": tokens.access_token, "refresh": tokens.refresh_token, "id": tokens.id_token}


def _expiry(tokens: TokenSet, now: datetime) -> datetime:
    lifetime = timedelta(seconds=tokens.expires_in) if tokens.expires_in else DEFAULT_LIFETIME
    return now + lifetime


async def keep(store: TokenStore, secret: str, tokens: TokenSet, now: datetime) -> None:
    await store.put(secret, seal(secret, _payload(tokens)), _expiry(tokens, now))


async def bearer(store: TokenStore, login: OidcLogin, secret: str, now: datetime) -> str:
    """An access token for this session, valid for at least MARGIN more."""
    stored = await store.get(secret)
    if stored is None:
        raise SignedOut
    try:
        held = unseal(secret, stored.sealed)
    except Unsealable as exc:
        raise SignedOut from exc
    if stored.access_expires_at - now > MARGIN:
        return str(held["access"])
    if not held.get("refresh"):
        raise SignedOut
    try:
        fresh = await login.refresh(str(held["refresh"]), held.get("id"))
    except InvalidToken as exc:
        raise SignedOut from exc
    if fresh.refresh_token is None:  # providers that do not rotate keep the old one
        fresh = TokenSet(fresh.access_token, fresh.id_token, str(held["refresh"]), fresh.expires_in)
    await keep(store, secret, fresh, now)
    return fresh.access_token
