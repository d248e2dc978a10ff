"""A fresh copy of some tables in a schema of its own, filled aside and swapped in at once.

Used by ``kasane indicators rebuild``: the new read model is built in ``rebuild_<run>``
while readers (and the live subscriber) keep using the tables in ``public``; one short
transaction then drops the old tables and moves the new ones into ``public``. Readers see
the old model until that commit and the new one after it; a rebuild that fails drops its
schema and leaves the old model untouched.

Each copy has the columns, defaults and CHECK constraints of the original (``LIKE``), and
then its index-backed constraints (primary key, unique, exclusion) and foreign keys under
their original names, and its other indexes from their original definitions, so after the
swap the tables are the ones the migrations made (later migrations may name them).
Not supported (none of the rebuilt tables has one): a serial/identity column (its sequence
belongs to the old table), and a foreign key from another table INTO a rebuilt table (the
drop refuses, the swap rolls back, the old model stays).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import asyncpg

PREFIX = "rebuild_"

# "CREATE [UNIQUE] INDEX name ON [ONLY] public.facts USING btree (...)": retarget the table.
_ON_TABLE = re.compile(r" ON (ONLY )?\S+ USING ")


_AUTOVACUUM = "autovacuum_enabled"


async def _reloptions(conn: asyncpg.Connection, table: str) -> list[str]:
    found = await conn.fetchval("SELECT reloptions FROM pg_class WHERE oid = $1::regclass", table)
    return list(found or ())


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_name(run_id: int) -> str:
    return f"{PREFIX}{run_id}"


async def drop_leftovers(conn: asyncpg.Connection) -> None:
    """Schemas of rebuilds that were killed before they could drop their own. Only call
    while holding the rebuild lock: no other rebuild is then using one."""
    for (name,) in await conn.fetch(
        "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)", PREFIX
    ):
        await conn.execute(f"DROP SCHEMA {_quoted(name)} CASCADE")


async def create(conn: asyncpg.Connection, schema: str, tables: Sequence[str]) -> None:
    """Empty copies of ``public.<table>`` in ``schema``."""
    target = _quoted(schema)
    await conn.execute(f"CREATE SCHEMA {target}")
    for table in tables:
        source, copy = f"public.{_quoted(table)}", f"{target}.{_quoted(table)}"
        # The original's storage options (LIKE does not copy them), and no autovacuum while
        # the copy is bulk-loaded: an autovacuum ANALYZE holding the new table would make
        # the swap wait for its cancellation (deadlock_timeout, 1 s per table). The copy is
        # analysed once, before the swap (:func:`analyze`), and autovacuum restored then.
        options = [o for o in await _reloptions(conn, source) if not o.startswith(_AUTOVACUUM)]
        with_options = ", ".join([*options, f"{_AUTOVACUUM}=false"])
        await conn.execute(
            f"CREATE TABLE {copy} (LIKE {source} INCLUDING ALL EXCLUDING INDEXES)"
            f" WITH ({with_options})"
        )
        constraints = await conn.fetch(
            "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint"
            " WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x', 'f') ORDER BY conname",
            source,
        )
        for c in constraints:
            name = _quoted(c["conname"])
            await conn.execute(f"ALTER TABLE {copy} ADD CONSTRAINT {name} {c['def']}")
        indexes = await conn.fetch(
            "SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i"
            " WHERE i.indrelid = $1::regclass"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            " ORDER BY i.indexrelid",
            source,
        )
        for index in indexes:
            await conn.execute(_ON_TABLE.sub(f" ON {copy} USING ", index["def"], count=1))


async def analyze(conn: asyncpg.Connection, schema: str, tables: Sequence[str]) -> None:
    """Statistics for the filled copies, so the planner knows them from the swap on."""
    for table in tables:
        await conn.execute(f"ANALYZE {_quoted(schema)}.{_quoted(table)}")


async def swap(conn: asyncpg.Connection, schema: str, tables: Sequence[str]) -> None:
    """Replace ``public.<table>`` by ``<schema>.<table>`` for each table (autovacuum as on
    the original), then drop the schema. Call inside the transaction that must make the
    swap atomic."""
    for table in tables:
        original = [
            o
            for o in await _reloptions(conn, f"public.{_quoted(table)}")
            if o.startswith(_AUTOVACUUM)
        ]
        copy = f"{_quoted(schema)}.{_quoted(table)}"
        await conn.execute(f"ALTER TABLE {copy} RESET ({_AUTOVACUUM})")
        if original:
            await conn.execute(f"ALTER TABLE {copy} SET ({original[0]})")
        await conn.execute(f"DROP TABLE public.{_quoted(table)}")
        await conn.execute(f"ALTER TABLE {_quoted(schema)}.{_quoted(table)} SET SCHEMA public")
    await conn.execute(f"DROP SCHEMA {_quoted(schema)}")


async def drop(conn: asyncpg.Connection, schema: str) -> None:
    await conn.execute(f"DROP SCHEMA IF EXISTS {_quoted(schema)} CASCADE")
