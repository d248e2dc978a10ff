"""Admission control on the real database: shed at the in-flight limit, 503 (not 500) when
the database is unreachable or the pool is exhausted, /healthz never shed.

Each test runs its own intake app (same routes, same database as the session's intake), so
changing its settings or pool touches no other test.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import asyncpg
import pytest

from intake.api import ROUTERS
from kasane.settings import Settings
from kasane.web.admission import BoundedPool
from kasane.web.app import ServiceSpec, create_app
from kasane_dev.local.net import free_port
from kasane_dev.testing.services import RunningService, in_process
from tests.integration.fixtures_data import consultation_body

Auth = Callable[..., dict[str, str]]


@pytest.fixture
async def fresh_intake(settings: Settings) -> AsyncIterator[RunningService]:
    app = create_app(ServiceSpec(name="intake", title="intake (admission test)", routers=ROUTERS))
    async with in_process("intake", app, settings) as running:
        running.client.timeout = 30
        yield running


def app_of(svc: RunningService) -> object:
    transport = svc.client._transport  # the ASGI app behind the in-process client
    return transport.app  # type: ignore[attr-defined]


async def count(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM consultations"))
    finally:
        await conn.close()


async def lock_waiters(conn: asyncpg.Connection) -> int:
    # pg_stat_activity is a snapshot per transaction: clear it to see the present.
    await conn.execute("SELECT pg_stat_clear_snapshot()")
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock'"
        )
    )


async def test_in_flight_limit_sheds_with_503(fresh_intake: RunningService, auth: Auth) -> None:
    app = app_of(fresh_intake)
    app.state.settings = app.state.settings.model_copy(update={"max_in_flight": 2})  # type: ignore[attr-defined]
    headers = auth("jiritsu", "counselor")
    before = await count(fresh_intake.dsn)

    # Hold two requests in flight: they wait on a table lock taken by another session.
    blocker = await asyncpg.connect(fresh_intake.dsn)
    try:
        lock = blocker.transaction()
        await lock.start()
        # SHARE blocks INSERTs only; reads and statement preparation still go through.
        await blocker.execute("LOCK TABLE consultations IN SHARE MODE")
        held = [
            asyncio.create_task(
                fresh_intake.client.post(
                    "/consultations", json=consultation_body(2024), headers=headers
                )
            )
            for _ in range(2)
        ]
        for _ in range(200):
            waiting = await lock_waiters(blocker)
            if waiting >= 2:
                break
            await asyncio.sleep(0.05)
        assert waiting >= 2, "the two requests never reached the lock"

        # The third is answered at once, not queued behind the other two.
        shed = await asyncio.wait_for(
            fresh_intake.client.post(
                "/consultations", json=consultation_body(2024), headers=headers
            ),
            5,
        )
        assert shed.status_code == 503, shed.text
        assert shed.headers["Retry-After"] == "1"
        assert shed.json()["error"] == "unavailable"
        assert shed.json()["errors"][0]["field"] == "request"
        assert "/" in shed.json()["message"]  # 日本語 / English
        health = await asyncio.wait_for(fresh_intake.client.get("/healthz"), 5)
        assert health.status_code == 200, "healthz must not be shed"
        await lock.commit()
    finally:
        await blocker.close()
    done = await asyncio.gather(*held)
    assert [r.status_code for r in done] == [201, 201]
    assert await count(fresh_intake.dsn) == before + 2  # the shed request wrote nothing
    after = await fresh_intake.client.post(
        "/consultations", json=consultation_body(2024), headers=headers
    )
    assert after.status_code == 201, "the limit frees up again"


async def test_unreachable_database_is_503(
    fresh_intake: RunningService, auth: Auth, settings: Settings
) -> None:
    app = app_of(fresh_intake)
    real = app.state.pool  # type: ignore[attr-defined]
    # Nothing listens on this port: every connection attempt is refused.
    dead = await asyncpg.create_pool(
        f"postgresql://postgres@127.0.0.1:{free_port()}/intake", min_size=0, max_size=2
    )
    app.state.pool = dead  # type: ignore[attr-defined]
    headers = auth("jiritsu", "counselor")
    try:
        posted = await fresh_intake.client.post(
            "/consultations", json=consultation_body(2024), headers=headers
        )
        assert posted.status_code == 503, posted.text
        assert posted.headers["Retry-After"] == "5"
        assert posted.json()["errors"][0]["field"] == "service"
        listed = await fresh_intake.client.get("/cases", headers=headers)
        assert listed.status_code == 503, listed.text
        keyed = await fresh_intake.client.post(
            "/consultations",
            json=consultation_body(2024),
            headers={**headers, "Idempotency-Key": "outage-1"},
        )
        assert keyed.status_code == 503, keyed.text
        health = await fresh_intake.client.get("/healthz")
        assert health.status_code == 503 and health.json()["status"] == "down"
    finally:
        app.state.pool = real  # type: ignore[attr-defined]
        await dead.close()
    assert (await fresh_intake.client.get("/healthz")).status_code == 200


async def test_terminated_connections_are_503_not_500(
    fresh_intake: RunningService, auth: Auth
) -> None:
    """pg_terminate_backend mid-transaction (an administrator or a failover)."""
    app = app_of(fresh_intake)
    pool = app.state.pool  # type: ignore[attr-defined]
    headers = auth("jiritsu", "counselor")
    blocker = await asyncpg.connect(fresh_intake.dsn)
    try:
        lock = blocker.transaction()
        await lock.start()
        await blocker.execute("LOCK TABLE consultations IN ACCESS EXCLUSIVE MODE")
        request = asyncio.create_task(
            fresh_intake.client.post(
                "/consultations", json=consultation_body(2024), headers=headers
            )
        )
        pid = None
        for _ in range(200):
            await blocker.execute("SELECT pg_stat_clear_snapshot()")
            pid = await blocker.fetchval(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' LIMIT 1"
            )
            if pid is not None:
                break
            await asyncio.sleep(0.05)
        assert pid is not None
        await blocker.execute("SELECT pg_terminate_backend($1)", pid)
        response = await asyncio.wait_for(request, 10)
        await lock.rollback()
    finally:
        await blocker.close()
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "5"
    assert pool is app.state.pool  # type: ignore[attr-defined]
    again = await fresh_intake.client.post(
        "/consultations", json=consultation_body(2024), headers=headers
    )
    assert again.status_code == 201, "the pool reconnects by itself"


async def test_pool_wait_is_bounded(fresh_intake: RunningService, auth: Auth) -> None:
    app = app_of(fresh_intake)
    real = app.state.pool  # type: ignore[attr-defined]
    small = BoundedPool(
        fresh_intake.dsn,
        acquire_timeout=0.3,
        min_size=1,
        max_size=1,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
    )
    await small
    app.state.pool = small  # type: ignore[attr-defined]
    try:
        async with small.acquire():  # the only connection is busy
            begin = asyncio.get_running_loop().time()
            response = await fresh_intake.client.post(
                "/consultations",
                json=consultation_body(2024),
                headers=auth("jiritsu", "counselor"),
            )
            waited = asyncio.get_running_loop().time() - begin
        assert response.status_code == 503, response.text
        assert waited < 3, f"answered after {waited:.1f}s"
    finally:
        app.state.pool = real  # type: ignore[attr-defined]
        await small.close()
