"""The services' pool (kasane.web.admission.bounded_pool) on real PostgreSQL: session state a
request leaves on a pooled connection never reaches the next user, and a connection that
held none is released without the reset round trip (kasane.db.session)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from kasane.settings import Settings
from kasane.web.admission import bounded_pool

pytestmark = pytest.mark.integration

LOCK_KEY = 4242


@pytest.fixture
async def one_connection_pool(intake_dsn: str, settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    """One connection: every acquire gets the session the previous user released."""
    pool = await bounded_pool(intake_dsn, settings.model_copy(update={"db_pool_max_size": 1}))
    try:
        yield pool
    finally:
        await pool.close()


async def _session_state(pool: asyncpg.Pool) -> asyncpg.Record:
    async with pool.acquire() as conn:
        state = await conn.fetchrow(
            "SELECT pg_backend_pid() AS pid,"
            " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            "  AND pid = pg_backend_pid()) AS advisory_locks,"
            " (SELECT count(*) FROM pg_listening_channels()) AS channels,"
            " (SELECT count(*) FROM pg_cursors WHERE is_holdable) AS cursors,"
            " current_setting('statement_timeout') AS statement_timeout,"
            " current_setting('application_name') AS application_name"
        )
        assert state is not None
        return state


async def test_session_lock_settings_and_listen_do_not_reach_the_next_user(
    one_connection_pool: asyncpg.Pool,
) -> None:
    before = await _session_state(one_connection_pool)
    async with one_connection_pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock($1)", LOCK_KEY)
        await conn.execute("SET statement_timeout = '1234ms'")
        await conn.fetchval("SELECT set_config('application_name', 'leaked', false)")
        await conn.execute("LISTEN kasane_pool_test")
        async with conn.transaction():
            await conn.execute("DECLARE kept CURSOR WITH HOLD FOR SELECT 1")
    after = await _session_state(one_connection_pool)

    assert after["pid"] == before["pid"], "the same session was handed out again"
    assert after["advisory_locks"] == 0
    assert after["channels"] == 0
    assert after["cursors"] == 0
    assert after["statement_timeout"] == before["statement_timeout"]
    assert after["application_name"] == before["application_name"]


async def test_a_lock_taken_through_the_pool_methods_is_released(
    one_connection_pool: asyncpg.Pool, intake_dsn: str
) -> None:
    assert await one_connection_pool.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY)
    # Another session may take the lock: the pooled session no longer holds it.
    other = await asyncpg.connect(intake_dsn)
    try:
        assert await other.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY)
    finally:
        await other.close()


async def test_a_connection_without_session_state_is_released_without_a_reset(
    one_connection_pool: asyncpg.Pool,
) -> None:
    sent: list[str] = []
    async with one_connection_pool.acquire() as conn:
        conn.add_query_logger(lambda logged: sent.append(logged.query))
        async with conn.transaction():
            # Transaction-scoped state only: gone at commit, nothing to reset.
            await conn.execute("SET LOCAL statement_timeout = '1234ms'")
            await conn.fetchval("SELECT pg_advisory_xact_lock($1)", LOCK_KEY)
        await conn.fetchval("SELECT 1")
    async with one_connection_pool.acquire() as conn:
        await conn.fetchval("SELECT 2")
        await conn.execute("SELECT pg_advisory_lock($1)", LOCK_KEY)
    async with one_connection_pool.acquire() as conn:
        await conn.fetchval("SELECT 3")

    resets = [q for q in sent if "pg_advisory_unlock_all" in q]
    assert len(resets) == 1, sent  # after the session lock only
    assert sent.index(resets[0]) > sent.index("SELECT pg_advisory_lock($1)")
