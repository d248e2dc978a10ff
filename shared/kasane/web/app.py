"""One way to build a kasane service: FastAPI app + database pool + outbox relay +
FastStream subscribers, all started and stopped by the app's lifespan.

FastStream's FastAPI plugin is deprecated in 0.7, so the ``KafkaBroker`` is started in the
FastAPI lifespan directly (docs/architecture/local-stack.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker

from kasane.audit_sealer import AuditSealer
from kasane.auth.issuers import build_token_verifier
from kasane.auth.keys import PUBLIC_NAME
from kasane.bus.consumer import EventConsumer
from kasane.bus.credentials import KafkaAccess, kafka_access
from kasane.bus.dead_letter import DeadLetterPublisher
from kasane.bus.dispatch import Dispatcher
from kasane.bus.inbox import Handler, HoldWrites, handle_batch
from kasane.bus.producer import idempotent_producer
from kasane.bus.relay import OutboxRelay
from kasane.bus.signing import EventVerifier, signer_for, verifier_for
from kasane.bus.subscription import subscribe
from kasane.bus.verified_log import VerifiedLog
from kasane.db.urls import database_url, server_url
from kasane.events.catalog import SUBSCRIPTIONS
from kasane.events.registry import EventRegistry
from kasane.events.topics import dlq_topic_for, topic_for
from kasane.reference import preload_reference, reference_version
from kasane.settings import Settings, get_settings
from kasane.web import access_log
from kasane.web.admission import bounded_pool, install_admission
from kasane.web.errors import install_error_handlers, reject_control_characters
from kasane.web.events import EventWriter
from kasane.web.idempotency import install_idempotency
from kasane.web.openapi import install_openapi

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Subscription:
    """Events in: which producers' topics, how to parse them, what to do with each."""

    producers: Sequence[str]
    registry: EventRegistry
    handler: Handler
    # Keep verified-log checkpoints (kasane.bus.verified_log): for a service whose read model
    # is replayed from the topics, so the replay need not verify every signature again.
    verified_log: bool = False
    # The live batch's handlers write through this wrapper, flushed before the batch commits
    # (kasane.bus.inbox.handle_batch); None: straight to the connection.
    hold_writes: HoldWrites | None = None

    @classmethod
    def of(
        cls,
        dispatch: Dispatcher,
        *,
        verified_log: bool = False,
        hold_writes: HoldWrites | None = None,
    ) -> Subscription:
        """The subscription a dispatcher implies: the topics of the contracts it handles.
        Handlers are the one declaration; ``kasane.events.catalog.SUBSCRIPTIONS`` (which the
        ACLs and the AsyncAPI document read) is checked against them by a test."""
        return cls(
            producers=dispatch.producers,
            registry=dispatch.registry,
            handler=dispatch,
            verified_log=verified_log,
            hold_writes=hold_writes,
        )


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    routers: Sequence[APIRouter] = field(default_factory=tuple)
    subscription: Subscription | None = None
    # Runs once the pool, relay and subscribers are up, before the app serves requests
    # (e.g. meetings generates this and next fiscal year's calendar). Must be idempotent:
    # every replica runs it at every start. An exception stops the start-up.
    startup: Callable[[FastAPI], Awaitable[None]] | None = None


def service_dsn(name: str, settings: Settings) -> str:
    return database_url(server_url(settings), f"{name}{settings.database_suffix}")


def public_key(settings: Settings) -> bytes:
    path = Path(settings.jwt_public_key_file or settings.keys_dir / PUBLIC_NAME)
    if not path.exists():
        raise RuntimeError(
            f"JWT public key not found at {path}: run `kasane up` once, or set "
            "KASANE_JWT_PUBLIC_KEY_FILE to the city's public key"
        )
    return path.read_bytes()


def _subscribed_producers(spec: ServiceSpec) -> list[str]:
    """The spec's producers, which must be declared in the catalog: the ACLs come from there."""
    if spec.subscription is None:
        return []
    producers = list(spec.subscription.producers)
    undeclared = set(producers) - set(SUBSCRIPTIONS.get(spec.name, ()))
    if undeclared:
        raise RuntimeError(
            f"{spec.name} subscribes to {sorted(undeclared)} without a declaration in "
            "kasane.events.catalog.SUBSCRIPTIONS, so the broker would refuse it"
        )
    return producers


async def _start_subscriber(
    spec: ServiceSpec,
    settings: Settings,
    pool: asyncpg.Pool,
    producer: AIOKafkaProducer,
    access: KafkaAccess,
    topic_producers: dict[str, str],
    verifier: EventVerifier | None,
) -> KafkaBroker | None:
    """The service's Kafka consumer group, reading the topics its handlers need."""
    if spec.subscription is None:
        return None
    ns = settings.topic_namespace
    broker = KafkaBroker(
        settings.kafka_bootstrap,
        client_id=f"kasane-{spec.name}",
        security=access.faststream_security(),
        # Topics are the admin's to create (kasane.bus.admin); the ACLs refuse it.
        allow_auto_create_topics=False,
    )
    consumer = EventConsumer(
        name=spec.name,
        registry=spec.subscription.registry,
        pool=pool,
        dead_letters=DeadLetterPublisher(producer, dlq_topic_for(spec.name, ns)),
        handler=spec.subscription.handler,
        max_attempts=settings.consumer_max_attempts,
        backoff_s=settings.consumer_retry_backoff_s,
        verifier=verifier,
        verified_log=VerifiedLog(spec.name) if spec.subscription.verified_log else None,
    )
    if spec.subscription.hold_writes is not None:
        consumer.batch_inbox = partial(handle_batch, hold_writes=spec.subscription.hold_writes)
    subscribe(broker, consumer, list(topic_producers), group_id=f"{ns}kasane.{spec.name}")
    await broker.start()
    return broker


@dataclass(frozen=True)
class _Running:
    """What a service's lifespan starts besides its pool; stopped in the reverse order."""

    producer: AIOKafkaProducer
    relay: OutboxRelay
    relay_task: asyncio.Task[None]
    sealer: AuditSealer
    sealer_task: asyncio.Task[None]
    broker: KafkaBroker | None

    async def stop(self) -> None:
        if self.broker is not None:
            await self.broker.stop()
        self.relay.stop()
        self.sealer.stop()
        self.relay_task.cancel()
        self.sealer_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.relay_task
        with contextlib.suppress(asyncio.CancelledError):
            await self.sealer_task
        await self.producer.stop()


async def _open_state(app: FastAPI, spec: ServiceSpec, settings: Settings) -> asyncpg.Pool:
    """What the routes find on ``app.state``: settings, token verifier, event writer, pool."""
    app.state.settings = settings
    # The city key and every OIDC issuer of KASANE_OIDC_ISSUERS (kasane.auth.issuers).
    app.state.token_verifier = build_token_verifier(settings, public_key(settings))
    app.state.events = EventWriter(spec.name, settings.municipality_code, settings.topic_namespace)
    app.state.pool = pool = await bounded_pool(service_dsn(spec.name, settings), settings)
    return pool


async def _start_background(spec: ServiceSpec, settings: Settings, pool: asyncpg.Pool) -> _Running:
    """The outbox relay, the audit sealer and the subscriber, sharing one producer."""
    ns = settings.topic_namespace
    dsn = service_dsn(spec.name, settings)
    # The service's own principal and signing key: what the broker's ACLs and every
    # consumer's signature check know it by. Topics are provisioned by the admin.
    access = kafka_access(settings, spec.name)
    producers = _subscribed_producers(spec)
    topic_producers = {topic_for(p, ns): p for p in producers}
    # Keys first: a missing key stops the start before any connection is opened.
    signer = signer_for(settings, spec.name)
    verifier = verifier_for(settings, topic_producers) if producers else None

    producer = idempotent_producer(access, f"kasane-{spec.name}")
    await producer.start()
    relay = OutboxRelay(
        dsn,
        producer,
        signer=signer,
        poll_interval_s=settings.outbox_poll_interval_s,
        min_read_interval_s=settings.outbox_min_read_interval_s,
        fault=settings.fault,
    )
    relay_task = asyncio.create_task(relay.run(), name=f"{spec.name}-outbox-relay")
    sealer = AuditSealer.for_service(dsn, f"{spec.name}{settings.database_suffix}", settings)
    sealer_task = asyncio.create_task(sealer.run(), name=f"{spec.name}-audit-sealer")

    broker = await _start_subscriber(
        spec, settings, pool, producer, access, topic_producers, verifier
    )
    return _Running(producer, relay, relay_task, sealer, sealer_task, broker)


def _lifespan(
    spec: ServiceSpec,
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings = get_settings()
        # Read (and check) every reference table now: a broken imported version stops the
        # boot instead of failing the first request that names a 校区.
        preload_reference()
        pool = await _open_state(app, spec, settings)
        running = await _start_background(spec, settings, pool)
        try:
            if spec.startup is not None:
                await spec.startup(app)
            yield
        finally:
            await running.stop()
            await pool.close()

    return lifespan


def _install_healthz(app: FastAPI, name: str) -> None:
    @app.get("/healthz", tags=["health"])
    async def healthz() -> JSONResponse:
        # Which reference data this process validates against (read once per process), so
        # an operator sees which services still need a restart after `kasane reference import`.
        found = {"service": name, "reference_version": reference_version()}
        try:
            await app.state.pool.fetchval("SELECT 1")
        except Exception as exc:  # health must answer, not raise
            return JSONResponse({"status": "down", **found, "error": str(exc)}, 503)
        return JSONResponse({"status": "ok", **found})


def create_app(spec: ServiceSpec) -> FastAPI:
    access_log.install()  # no query strings (personal data) in any service's access log
    app = FastAPI(
        title=spec.title,
        lifespan=_lifespan(spec),
        dependencies=[Depends(reject_control_characters)],
    )
    install_error_handlers(app)
    install_idempotency(app)
    install_admission(app)  # last added = outermost: sheds before anything else runs
    _install_healthz(app, spec.name)
    for router in spec.routers:
        app.include_router(router)
    install_openapi(app)
    return app
