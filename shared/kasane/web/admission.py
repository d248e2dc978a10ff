"""Admission control: shed load with 503 + Retry-After instead of queueing without bound.

Three rules, one middleware (see docs/architecture/admission-and-idempotency.md):

- at most ``KASANE_MAX_IN_FLIGHT`` requests are handled at once per process; the next one
  is answered 503 at once, so the requests already admitted keep their latency;
- a request waits at most ``KASANE_DB_POOL_ACQUIRE_TIMEOUT_S`` for a database connection
  (``BoundedPool``); past it, 503;
- an unreachable database or broker (connection refused or lost, pool timeout, server
  shutting down) is 503, not 500: the request wrote nothing and may be retried.

``/healthz`` is never shed: an orchestrator must see the difference between busy and dead.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, NodeNotReadyError
from fastapi import FastAPI
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kasane.db.session import PooledConnection, reset_if_session_used
from kasane.settings import Settings

log = logging.getLogger(__name__)

UNSHED_PATHS = frozenset({"/healthz"})
BUSY_RETRY_AFTER_S = 1
OUTAGE_RETRY_AFTER_S = 5

# Failures of the infrastructure, not of the request: the client may retry the same request.
_OUTAGE_TYPES: tuple[type[BaseException], ...] = (
    TimeoutError,  # pool acquire or connect timed out (asyncio.TimeoutError is TimeoutError)
    OSError,  # connection refused / reset, unix socket gone (embedded PostgreSQL stopped)
    asyncpg.PostgresConnectionError,  # class 08, incl. ConnectionDoesNotExistError
    asyncpg.exceptions.OperatorInterventionError,  # 57P01 admin shutdown, cannot connect now
    asyncpg.exceptions.InsufficientResourcesError,  # 53300 too many connections, disk full
    KafkaConnectionError,
    KafkaTimeoutError,
    NodeNotReadyError,
)


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` means the database or broker is unavailable (answer 503).

    The chain counts: a lost connection often surfaces as a second error while cleaning up
    (asyncpg's "cannot call Transaction.__aexit__(): the underlying connection is closed"
    raised while handling ConnectionDoesNotExistError).
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, _OUTAGE_TYPES):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def unavailable(field: str, reason: str, retry_after_s: int) -> JSONResponse:
    """503 in the error body every kasane 4xx uses (``kasane.web.errors``)."""
    return JSONResponse(
        status_code=503,
        content={
            "error": "unavailable",
            "message": "ただいま混み合っています。しばらくしてから再試行してください"
            " / the service is unavailable, retry later",
            "errors": [{"field": field, "reason": reason}],
        },
        headers={"Retry-After": str(retry_after_s)},
    )


def busy() -> JSONResponse:
    return unavailable(
        "request",
        "同時に処理できる件数を超えました / too many requests in progress",
        BUSY_RETRY_AFTER_S,
    )


def outage() -> JSONResponse:
    return unavailable(
        "service",
        "データベースまたはメッセージ基盤に接続できません / database or broker unavailable",
        OUTAGE_RETRY_AFTER_S,
    )


class AdmissionMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware): a counter, no queue, no extra task per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.in_flight = 0
        self.shed = 0
        # Rendered once: shedding must cost next to nothing, or shedding itself eats the
        # capacity it protects (a Response holds no per-request state and can be re-sent).
        self._busy = busy()

    def _limit(self, scope: Scope) -> int:
        # Read per request from the app's settings (set by the lifespan), so a deployment
        # changes it through KASANE_MAX_IN_FLIGHT and a test through app.state.settings.
        settings: Settings | None = getattr(scope["app"].state, "settings", None)
        return settings.max_in_flight if settings is not None else Settings().max_in_flight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNSHED_PATHS:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self._limit(scope):
            self.shed += 1
            await self._busy(scope, receive, send)
            return
        self.in_flight += 1
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if not is_outage(exc) or started:
                raise
            # The class only: connection errors carry no personal data, but keep logs lean.
            log.warning("503 for %s %s: %s", scope["method"], scope["path"], type(exc).__name__)
            await outage()(scope, receive, send)
        finally:
            self.in_flight -= 1


class BoundedPool(asyncpg.Pool):  # type: ignore[misc]  # asyncpg ships no types
    """An asyncpg pool whose ``acquire()`` waits at most ``acquire_timeout`` seconds.

    Routes call ``pool.acquire()`` (or ``pool.fetch``…) without a timeout; the default
    here bounds every one of them, so a slow or unreachable database sheds with 503
    instead of piling up requests behind the pool.
    """

    __slots__ = ("_acquire_timeout",)

    def __init__(self, dsn: str, *, acquire_timeout: float, **kwargs: Any) -> None:
        super().__init__(dsn, **kwargs)
        self._acquire_timeout = acquire_timeout

    def acquire(self, *, timeout: float | None = None) -> Any:
        return super().acquire(timeout=self._acquire_timeout if timeout is None else timeout)


async def bounded_pool(dsn: str, settings: Settings) -> asyncpg.Pool:
    # The release resets a connection's session only when it was used: no reset query on
    # a request's path (kasane.db.session, docs/architecture/pool-reset.md).
    pool = BoundedPool(
        dsn,
        acquire_timeout=settings.db_pool_acquire_timeout_s,
        min_size=1,
        max_size=settings.db_pool_max_size,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        reset=reset_if_session_used,
        loop=None,
        connection_class=PooledConnection,
        record_class=asyncpg.Record,
    )
    await pool
    return pool


def install_admission(app: FastAPI) -> None:
    """Outermost middleware: shed before anything else (idempotency, auth) runs."""
    app.add_middleware(AdmissionMiddleware)
