"""Pooled connections reset their session only when it was used (docs/architecture/pool-reset.md).

asyncpg's pool sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``
on every release: a round trip on every request, though kasane's requests keep to
transaction-scoped state (``pg_advisory_xact_lock``, ``SET LOCAL``). The session-scoped
things that reset undoes — session advisory locks, LISTEN, session settings, cursors
declared in SQL — are taken on dedicated connections (the relay's and the sealer's leader
sessions, migrations, the indicators rebuild), never on a pooled one.

That is a convention, not a guarantee, so :class:`PooledConnection` notes any statement that
could leave session state behind (:func:`session_scoped`, read from the query text) and any
``add_listener``; :func:`reset_if_session_used`, the pool's ``reset`` hook, then sends the
full reset query for that connection, and nothing for the others. asyncpg itself still rolls
back a transaction left open and drops its listener callbacks on every release.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import asyncpg

# What asyncpg's reset query undoes, as it can appear in a statement: session advisory
# locks (not the _xact_ ones), LISTEN, a session SET (not SET LOCAL) or set_config(), and
# a cursor declared in SQL (WITH HOLD ones outlive the transaction). A false positive costs
# one reset query; a pattern missed would leak state to the next request, so they are broad.
_SESSION_SCOPED = re.compile(
    r"pg_(?:try_)?advisory_lock(?:_shared)?\s*\("
    r"|\bLISTEN\b"
    r"|(?:^|;)\s*SET\s+(?!LOCAL\b)"
    r"|\bset_config\s*\("
    r"|\bDECLARE\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def session_scoped(query: str) -> bool:
    """Whether ``query`` may leave session state a later user of the connection would
    inherit (pure; cached, as queries are mostly constants)."""
    return _SESSION_SCOPED.search(query) is not None


class PooledConnection(asyncpg.Connection):  # type: ignore[misc]  # asyncpg ships no types
    """A connection that remembers whether its session may hold state (see module doc)."""

    __slots__ = ("_session_used",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._session_used = False

    @property
    def session_used(self) -> bool:
        return self._session_used

    def _note(self, query: str) -> None:
        if not self._session_used and session_scoped(query):
            self._session_used = True

    # asyncpg's own signatures (their ``timeout`` is asyncpg's), passed through untouched.
    async def execute(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().execute(query, *args, **kwargs)

    async def executemany(self, command: str, args: Any, **kwargs: Any) -> Any:
        self._note(command)
        return await super().executemany(command, args, **kwargs)

    async def fetch(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().fetch(query, *args, **kwargs)

    async def fetchval(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().fetchval(query, *args, **kwargs)

    async def fetchrow(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().fetchrow(query, *args, **kwargs)

    async def fetchmany(self, query: str, args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().fetchmany(query, args, **kwargs)

    async def prepare(self, query: str, **kwargs: Any) -> Any:
        self._note(query)
        return await super().prepare(query, **kwargs)

    def cursor(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return super().cursor(query, *args, **kwargs)

    async def copy_from_query(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().copy_from_query(query, *args, **kwargs)

    async def add_listener(self, channel: str, callback: Any) -> None:
        self._session_used = True
        await super().add_listener(channel, callback)


async def reset_if_session_used(conn: asyncpg.Connection) -> None:
    """The pool's ``reset`` hook: asyncpg's full reset query for a connection whose session
    may hold state, none for the rest (any other connection class: always)."""
    if isinstance(conn, PooledConnection) and not conn.session_used:
        return
    query = conn.get_reset_query()
    if query:
        # The plain method: the reset's own UNLISTEN must not mark the session used again.
        await asyncpg.Connection.execute(conn, query)
    if isinstance(conn, PooledConnection):
        conn._session_used = False
