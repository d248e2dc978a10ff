"""The signed-in user's tokens, sealed (portal.domain.sealing), one row per session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from kasane.web.sessions import digest


@dataclass(frozen=True)
class StoredTokens:
    sealed: bytes
    access_expires_at: datetime


class TokenStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def put(self, secret: str, sealed: bytes, access_expires_at: datetime) -> None:
        await self._pool.execute(
            "INSERT INTO portal_session_tokens (id_hash, sealed, access_expires_at)"
            " VALUES ($1, $2, $3) ON CONFLICT (id_hash) DO UPDATE"
            " SET sealed = EXCLUDED.sealed, access_expires_at = EXCLUDED.access_expires_at",
            digest(secret), sealed, access_expires_at,
        )  # fmt: skip

    async def get(self, secret: str) -> StoredTokens | None:
        row = await self._pool.fetchrow(
            "SELECT sealed, access_expires_at FROM portal_session_tokens WHERE id_hash = $1",
            digest(secret),
        )
        return None if row is None else StoredTokens(bytes(row["sealed"]), row["access_expires_at"])
