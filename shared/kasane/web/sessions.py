"""Server-side browser sessions and pending sign-ins, in the service's own database.

The browser holds only random secrets in HttpOnly, SameSite=Lax cookies; the database holds
their SHA-256 (a leaked table row cannot be replayed as a cookie) next to who signed in.
A session ends after ``idle`` without a request, at the latest ``max_age`` after sign-in,
and at sign-out. Its principal is the one verified at sign-in (kasane.web.oidc_login): a
role withdrawn in the identity provider takes effect at the next sign-in, so ``max_age``
bounds how long that can take.

Each service using this module needs the two tables of
services/indicators/indicators/migrations/0004_web_sessions.sql in its database.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from kasane.auth.principal import Principal

SESSION_COOKIE = "kasane_session"
LOGIN_COOKIE = "kasane_login"
LOGIN_TTL = timedelta(minutes=10)  # from "サインイン" to the identity provider's answer
SEEN_RESOLUTION = timedelta(seconds=30)  # how often a session's last_seen_at is written


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WebSession:
    principal: Principal
    issuer: str
    id_token: str | None  # the id_token_hint that ends the provider's session at sign-out
    csrf_token: str  # echoed by every form that changes something (sign-out included)
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class LoginAttempt:
    state: str
    nonce: str
    code_verifier: str
    return_to: str
    created_at: datetime


def session_alive(session: WebSession, now: datetime, idle: timedelta, max_age: timedelta) -> bool:
    return now - session.last_seen_at < idle and now - session.created_at < max_age


def safe_return_to(value: str | None, default: str) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


class SessionStore:
    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        idle: timedelta,
        max_age: timedelta,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._pool = pool
        self._idle = idle
        self._max_age = max_age
        self._clock = clock

    async def create(
        self, principal: Principal, issuer: str, id_token: str | None
    ) -> tuple[str, WebSession]:
        """A new session; returns the cookie secret (shown to the browser only)."""
        secret, now = new_secret(), self._clock()
        session = WebSession(principal, issuer, id_token, new_secret(), now, now)
        # Sessions nobody came back to are dropped here, not by a scheduler.
        await self._pool.execute(
            "DELETE FROM web_sessions WHERE last_seen_at <= $1 OR created_at <= $2",
            now - self._idle, now - self._max_age,
        )  # fmt: skip
        await self._pool.execute(
            "INSERT INTO web_sessions (id_hash, sub, agency, roles, issuer, id_token,"
            " csrf_token, created_at, last_seen_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8)",
            digest(secret), principal.sub, principal.agency, sorted(principal.roles),
            issuer, id_token, session.csrf_token, now,
        )  # fmt: skip
        return secret, session

    async def current(self, secret: str | None) -> WebSession | None:
        """The live session of a cookie (its idle clock restarted), or None."""
        if not secret:
            return None
        now = self._clock()
        row = await self._pool.fetchrow(
            "SELECT * FROM web_sessions WHERE id_hash = $1", digest(secret)
        )
        if row is None:
            return None
        session = _session(row)
        if not session_alive(session, now, self._idle, self._max_age):
            await self._pool.execute("DELETE FROM web_sessions WHERE id_hash = $1", row["id_hash"])
            return None
        if now - session.last_seen_at >= SEEN_RESOLUTION:
            # Not on every page: one write per session and half-minute is enough for an
            # idle timeout counted in minutes, and spares the database a write per request.
            await self._pool.execute(
                "UPDATE web_sessions SET last_seen_at = $2 WHERE id_hash = $1", row["id_hash"], now
            )
        return session

    async def end(self, secret: str | None) -> WebSession | None:
        if not secret:
            return None
        row = await self._pool.fetchrow(
            "DELETE FROM web_sessions WHERE id_hash = $1 RETURNING *", digest(secret)
        )
        return _session(row) if row is not None else None

    async def begin_login(self, return_to: str) -> tuple[str, LoginAttempt]:
        """A pending sign-in (state, nonce, PKCE verifier); returns its cookie secret.

        The state is checked against this browser's cookie at the callback, so a sign-in
        started in another browser (login CSRF) cannot complete in this one.
        """
        secret, now = new_secret(), self._clock()
        attempt = LoginAttempt(new_secret(), new_secret(), new_secret(), return_to, now)
        await self._pool.execute(
            "DELETE FROM web_login_attempts WHERE created_at < $1", now - LOGIN_TTL
        )
        await self._pool.execute(
            "INSERT INTO web_login_attempts (id_hash, state, nonce, code_verifier, return_to,"
            " created_at) VALUES ($1,$2,$3,$4,$5,$6)",
            digest(secret), attempt.state, attempt.nonce, attempt.code_verifier,
            attempt.return_to, now,
        )  # fmt: skip
        return secret, attempt

    async def take_login(self, secret: str | None) -> LoginAttempt | None:
        """The pending sign-in of a cookie, used up (a code can be redeemed once)."""
        if not secret:
            return None
        row = await self._pool.fetchrow(
            "DELETE FROM web_login_attempts WHERE id_hash = $1 RETURNING *", digest(secret)
        )
        if row is None or self._clock() - row["created_at"] >= LOGIN_TTL:
            return None
        return LoginAttempt(
            row["state"], row["nonce"], row["code_verifier"], row["return_to"], row["created_at"]
        )


def _session(row: asyncpg.Record) -> WebSession:
    return WebSession(
        principal=Principal(sub=row["sub"], agency=row["agency"], roles=frozenset(row["roles"])),
        issuer=row["issuer"],
        id_token=row["id_token"],
        csrf_token=row["csrf_token"],
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
    )
