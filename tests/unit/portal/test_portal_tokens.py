"""Tokens are kept sealed and refreshed before they run out; a refused refresh signs out.
(The real refresh against Keycloak: tests/integration/portal/test_portal_sign_in.py.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from kasane.auth.errors import InvalidToken
from kasane.web.oidc_login import OidcLogin, TokenSet
from portal.store.tokens import StoredTokens, TokenStore
from portal.usecases import tokens

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class MemoryTokens:
    def __init__(self) -> None:
        self.rows: dict[str, StoredTokens] = {}

    async def put(self, secret: str, sealed: bytes, access_expires_at: datetime) -> None:
        self.rows[secret] = StoredTokens(sealed, access_expires_at)

    async def get(self, secret: str) -> StoredTokens | None:
        return self.rows.get(secret)


class Provider:
    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.refreshed: list[str] = []

    async def refresh(self, refresh_token: str, id_token: str | None) -> TokenSet:
        if self.refuse:
            raise InvalidToken("session ended")
        self.refreshed.append(refresh_token)
        return TokenSet("access-2", id_token, None, 300)


def store() -> Any:
    return MemoryTokens()


async def test_a_fresh_token_is_used_as_it_is() -> None:
    kept, provider = store(), Provider()
    await tokens.keep(cast(TokenStore, kept), "c", TokenSet("access-1", "id", "r1", 300), NOW)
    got = await tokens.bearer(kept, cast(OidcLogin, provider), "c", NOW + timedelta(minutes=1))
    assert got == "access-1" and provider.refreshed == []


async def test_a_token_about_to_expire_is_refreshed_and_the_refresh_token_kept() -> None:
    kept, provider = store(), Provider()
    await tokens.keep(kept, "c", TokenSet("access-1", "id", "r1", 300), NOW)
    later = NOW + timedelta(seconds=290)
    assert await tokens.bearer(kept, cast(OidcLogin, provider), "c", later) == "access-2"
    assert provider.refreshed == ["r1"]
    # Keycloak did not rotate it: the next refresh uses the old refresh token again.
    much_later = later + timedelta(seconds=290)
    await tokens.bearer(kept, cast(OidcLogin, provider), "c", much_later)
    assert provider.refreshed == ["r1", "r1"]


async def test_a_refused_refresh_signs_the_user_out() -> None:
    kept = store()
    await tokens.keep(kept, "c", TokenSet("access-1", "id", "r1", 60), NOW)
    with pytest.raises(tokens.SignedOut):
        await tokens.bearer(
            kept, cast(OidcLogin, Provider(refuse=True)), "c", NOW + timedelta(minutes=5)
        )


async def test_no_tokens_or_another_sessions_cookie_is_signed_out() -> None:
    kept = store()
    with pytest.raises(tokens.SignedOut):
        await tokens.bearer(kept, cast(OidcLogin, Provider()), "c", NOW)
    await tokens.keep(kept, "c", TokenSet("access-1", "id", "r1", 300), NOW)
    kept.rows["other"] = kept.rows["c"]  # a row under another cookie: sealed for "c"
    with pytest.raises(tokens.SignedOut):
        await tokens.bearer(kept, cast(OidcLogin, Provider()), "other", NOW)
