"""A fresh, migrated database per test: the audit chain is append-only (no TRUNCATE), so
tests that count rows or seqs cannot share one."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest

from kasane.db.migrate import migrate_service
from kasane.db.urls import database_url
from kasane.settings import Settings
from kasane_dev.local.postgres import ensure_database

NewDatabase = Callable[[], Awaitable[str]]


@pytest.fixture
async def new_database(settings: Settings) -> AsyncIterator[NewDatabase]:
    """Factory: create an empty database; returns its DSN. Dropped after the test."""
    created: list[str] = []

    async def make() -> str:
        name = f"persist_{uuid.uuid4().hex[:10]}{settings.database_suffix}"
        assert await ensure_database(settings.database_url, name)
        created.append(name)
        return database_url(settings.database_url, name)

    yield make

    conn = await asyncpg.connect(settings.database_url)
    try:
        for name in created:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
async def intake_dsn(new_database: NewDatabase) -> str:
    dsn = await new_database()
    await migrate_service("intake", dsn)
    return dsn


@pytest.fixture
async def pool(intake_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    created = await asyncpg.create_pool(intake_dsn, min_size=1, max_size=10)
    try:
        yield created
    finally:
        await created.close()
