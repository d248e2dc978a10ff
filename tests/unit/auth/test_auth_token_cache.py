"""The verified-token cache: a token's signature is checked once, and the answer never
outlives the token's exp; a refused token is never remembered."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from starlette.testclient import TestClient

from kasane.auth.dependencies import authenticated
from kasane.auth.errors import InvalidToken
from kasane.auth.issuers import MultiIssuerVerifier
from kasane.auth.keys import generate_pem_pair
from kasane.auth.principal import Principal
from kasane.auth.token_cache import VerifiedTokenCache
from kasane.auth.tokens import TokenVerifier, mint


class Counting:
    """The city verifier, counting the signature checks it does."""

    def __init__(self, inner: TokenVerifier) -> None:
        self.inner, self.calls = inner, 0

    @property
    def issuer(self) -> str:
        return self.inner.issuer

    def verify(self, token: str) -> Principal:
        self.calls += 1
        return self.inner.verify(token)


@pytest.fixture(scope="module")
def keys() -> tuple[bytes, bytes]:
    return generate_pem_pair()


def _token(private: bytes, ttl: timedelta = timedelta(hours=1)) -> str:
    return mint(private, sub="s1", agency="shakyo", roles=["coordinator"], ttl=ttl)


def test_a_token_is_verified_once_then_answered_from_the_cache(
    keys: tuple[bytes, bytes],
) -> None:
    private, public = keys
    city = Counting(TokenVerifier(public))
    multi = MultiIssuerVerifier([city])
    token = _token(private)
    first = multi.verify(token)
    assert multi.cached(token) == first
    assert multi.verify(token) == first
    assert city.calls == 1
    assert first == Principal("s1", "shakyo", frozenset({"coordinator"}))


def test_a_refused_token_is_checked_every_time_and_never_cached(
    keys: tuple[bytes, bytes],
) -> None:
    private, public = keys
    city = Counting(TokenVerifier(public))
    multi = MultiIssuerVerifier([city])
    header, payload, signature = _token(private).split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    for _ in range(2):
        with pytest.raises(InvalidToken):
            multi.verify(forged)
    assert city.calls == 2
    assert multi.cached(forged) is None


def test_an_expired_token_is_not_answered_from_the_cache() -> None:
    now = [1000.0]
    cache = VerifiedTokenCache(clock=lambda: now[0])
    who = Principal("s1", "shakyo", frozenset({"coordinator"}))
    cache.put("t", who, 1010)
    assert cache.get("t") == who
    now[0] = 1010.0  # exp itself is already too late
    assert cache.get("t") is None
    assert len(cache) == 0
    cache.put("late", who, 1005)  # expired before it was stored
    cache.put("no-exp", who, None)
    cache.put("bool-exp", who, True)
    assert len(cache) == 0


def test_an_entry_is_dropped_after_its_max_age_even_before_exp() -> None:
    now = [1000.0]
    cache = VerifiedTokenCache(clock=lambda: now[0], max_age_s=60)
    who = Principal("s1", "shakyo", frozenset({"coordinator"}))
    cache.put("t", who, 5000)
    now[0] = 1059.0
    assert cache.get("t") == who
    now[0] = 1060.0  # a removed signing key is honoured here for at most a minute
    assert cache.get("t") is None


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache = VerifiedTokenCache(max_entries=2, clock=lambda: 0.0)
    who = Principal("s1", "shakyo", frozenset({"coordinator"}))
    cache.put("a", who, 10)
    cache.put("b", who, 10)
    assert cache.get("a") == who  # a is now the most recent
    cache.put("c", who, 10)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (who, None, who)


def test_a_cached_token_still_expires_through_the_full_check(keys: tuple[bytes, bytes]) -> None:
    private, public = keys
    city = Counting(TokenVerifier(public))
    multi = MultiIssuerVerifier([city])
    token = _token(private, ttl=timedelta(seconds=1))
    multi.verify(token)
    time.sleep(1.1)
    assert multi.cached(token) is None
    with pytest.raises(InvalidToken):
        multi.verify(token)
    assert city.calls == 2


def test_the_dependency_answers_a_known_token_without_verifying_it_again(
    keys: tuple[bytes, bytes],
) -> None:
    private, public = keys
    city = Counting(TokenVerifier(public))
    app = FastAPI()
    app.state.token_verifier = MultiIssuerVerifier([city])

    @app.get("/who")
    async def who(principal: Annotated[Principal, Depends(authenticated)]) -> dict[str, str]:
        return {"sub": principal.sub, "agency": principal.agency}

    token = _token(private)
    with TestClient(app) as client:
        for _ in range(3):
            answer = client.get("/who", headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 200
            assert answer.json() == {"sub": "s1", "agency": "shakyo"}
        refused = client.get("/who", headers={"Authorization": "Bearer x.y.z"})
        assert refused.status_code == 401
    assert city.calls == 1
