"""Numbered, forward-only SQL migrations, recorded in ``kasane_migrations``.

Each database gets the shared ``kasane`` component first (outbox, inbox, access audit),
then its service's own ``<service>/migrations/NNNN_name.sql`` files. A migration that was
applied is never edited: a changed checksum stops the run instead of silently diverging.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import asyncpg

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_LOCK_KEY = 7_302_015  # advisory lock: two migrators on one database wait for each other


@dataclass(frozen=True, order=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


class MigrationError(RuntimeError):
    pass


def load_migrations(folder: Traversable) -> list[Migration]:
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort()
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"duplicate migration numbers in {folder}")
    return found


def migrations_for(component: str) -> list[Migration]:
    package = "kasane.db" if component == "kasane" else component
    return load_migrations(resources.files(package).joinpath("migrations"))


_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS kasane_migrations (
    component  text        NOT NULL,
    version    integer     NOT NULL,
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
)
"""


async def apply(conn: asyncpg.Connection, component: str, migrations: list[Migration]) -> list[str]:
    await conn.execute(_BOOKKEEPING)
    rows = await conn.fetch(
        "SELECT version, checksum FROM kasane_migrations WHERE component = $1", component
    )
    done = {r["version"]: r["checksum"] for r in rows}
    applied = []
    for m in migrations:
        if m.version in done:
            if done[m.version] != m.checksum:
                raise MigrationError(f"{component}/{m.name} changed after it was applied")
            continue
        async with conn.transaction():
            await conn.execute(m.sql)
            await conn.execute(
                "INSERT INTO kasane_migrations (component, version, name, checksum)"
                " VALUES ($1, $2, $3, $4)",
                component,
                m.version,
                m.name,
                m.checksum,
            )
        applied.append(f"{component}/{m.name}")
    return applied


async def migrate_service(service: str, dsn: str) -> list[str]:
    """Apply the shared and the service's migrations to the service's database."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
        try:
            applied = await apply(conn, "kasane", migrations_for("kasane"))
            applied += await apply(conn, service, migrations_for(service))
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    finally:
        await conn.close()
    return applied
