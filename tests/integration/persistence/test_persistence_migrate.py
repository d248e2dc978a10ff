"""migrate_service on real PostgreSQL: applies once, refuses edited migrations."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import asyncpg
import pytest

from kasane.db.migrate import MigrationError, migrate_service, migrations_for

pytestmark = pytest.mark.integration

NewDatabase = Callable[[], Awaitable[str]]


def _expected(service: str) -> list[str]:
    return [f"kasane/{m.name}" for m in migrations_for("kasane")] + [
        f"{service}/{m.name}" for m in migrations_for(service)
    ]


async def test_first_run_applies_everything_and_second_run_nothing(
    new_database: NewDatabase,
) -> None:
    dsn = await new_database()
    assert await migrate_service("intake", dsn) == _expected("intake")
    assert await migrate_service("intake", dsn) == []

    conn = await asyncpg.connect(dsn)
    try:
        recorded = await conn.fetch(
            "SELECT component, version, name, checksum FROM kasane_migrations"
            " ORDER BY component = 'kasane' DESC, version"
        )
        tables = {
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        }
    finally:
        await conn.close()
    assert [f"{r['component']}/{r['name']}" for r in recorded] == _expected("intake")
    by_name = {m.name: m.checksum for m in migrations_for("kasane") + migrations_for("intake")}
    assert all(r["checksum"] == by_name[r["name"]] for r in recorded)
    assert {"outbox", "inbox", "access_audit", "kasane_migrations"} <= tables


async def test_concurrent_migrators_apply_each_migration_once(new_database: NewDatabase) -> None:
    dsn = await new_database()
    results = await asyncio.gather(*(migrate_service("intake", dsn) for _ in range(3)))
    applied = [name for result in results for name in result]
    assert sorted(applied) == sorted(_expected("intake"))


async def test_services_share_the_kasane_component_but_not_their_own(
    new_database: NewDatabase,
) -> None:
    intake_dsn, indicators_dsn = await new_database(), await new_database()
    assert await migrate_service("intake", intake_dsn) == _expected("intake")
    assert await migrate_service("indicators", indicators_dsn) == _expected("indicators")


@pytest.mark.parametrize(("component", "version"), [("kasane", 2), ("intake", 1)])
async def test_changed_checksum_stops_the_run(
    new_database: NewDatabase, component: str, version: int
) -> None:
    dsn = await new_database()
    await migrate_service("intake", dsn)
    conn = await asyncpg.connect(dsn)
    try:
        updated = await conn.execute(
            "UPDATE kasane_migrations SET checksum = 'edited'"
            " WHERE component = $1 AND version = $2",
            component,
            version,
        )
        assert updated == "UPDATE 1"
    finally:
        await conn.close()
    with pytest.raises(MigrationError, match="changed"):
        await migrate_service("intake", dsn)
