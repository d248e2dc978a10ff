"""Server-side sessions and pending sign-ins in a real database (the indicators one)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from kasane.auth.principal import Principal
from kasane.web.sessions import LOGIN_TTL, SessionStore, digest
from kasane_dev.testing.services import RunningService

pytestmark = pytest.mark.integration

CITY = Principal("kc-user-1", "city-chiiki-fukushi", frozenset({"city_official"}))


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 4, 1, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def pool(indicators: RunningService) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(indicators.dsn, min_size=1, max_size=2) as created:
        yield created


def _store(pool: asyncpg.Pool, clock: Clock) -> SessionStore:
    return SessionStore(pool, idle=timedelta(minutes=30), max_age=timedelta(hours=10), clock=clock)


async def test_session_stores_only_the_secrets_hash_and_ends_after_idle_time(
    pool: asyncpg.Pool,
) -> None:
    clock = Clock()
    store = _store(pool, clock)
    secret, created = await store.create(CITY, "https://idp/realms/kasane", "id-token")
    row = await pool.fetchrow("SELECT * FROM web_sessions WHERE id_hash = $1", digest(secret))
    assert row is not None and secret not in dict(row).values()
    clock.now += timedelta(minutes=29)
    again = await store.current(secret)
    assert again is not None and again.principal == CITY
    assert again.csrf_token == created.csrf_token
    clock.now += timedelta(minutes=29)  # 58 min after sign-in, 29 after the last request
    assert await store.current(secret) is not None
    clock.now += timedelta(minutes=30)
    assert await store.current(secret) is None
    assert await pool.fetchval(
        "SELECT count(*) FROM web_sessions WHERE id_hash = $1", digest(secret)
    ) == 0  # fmt: skip


async def test_sign_out_ends_the_session_and_returns_the_id_token_hint(
    pool: asyncpg.Pool,
) -> None:
    store = _store(pool, Clock())
    secret, _ = await store.create(CITY, "https://idp/realms/kasane", "id-token-1")
    ended = await store.end(secret)
    assert ended is not None and ended.id_token == "id-token-1"
    assert await store.current(secret) is None
    assert await store.end(secret) is None


async def test_pending_sign_in_is_single_use_and_expires(pool: asyncpg.Pool) -> None:
    clock = Clock()
    store = _store(pool, clock)
    secret, attempt = await store.begin_login("/dashboard?fiscal_year=2024")
    taken = await store.take_login(secret)
    assert taken == attempt
    assert await store.take_login(secret) is None  # a replayed callback finds nothing
    late, _ = await store.begin_login("/dashboard")
    clock.now += LOGIN_TTL
    assert await store.take_login(late) is None
