"""The app factory every service uses.

It wires, in one place: settings, the database, JWT verification, the shared
HTTP layer (``common.http_layer``: error handlers, request guard, trailing
slashes, request ids, the last-resort 500, OpenAPI error responses), JSON logs,
tracing, health routes, docs under ``/docs/<service>`` (off in production unless
``DOCS_ENABLED``; Swagger UI from local assets, ``common.docs_ui``), the NATS bus with the service's stream,
the outbox relay and the event consumers (started in the lifespan, stopped on
shutdown).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request

from common.config import ServiceSettings
from common.db import Database, libpq_url
from common.docs_ui import install_swagger_ui
from common.events.bus import NatsBus
from common.events.consumer import EventConsumer, Subscription
from common.events.contracts import Published
from common.events.relay import OutboxRelay
from common.events.tables import EventTables
from common.health import router as health_router
from common.http_layer import install_http_layer
from common.logs import configure_logging
from common.memory import release_startup_memory_once
from common.money import install_decimal_context
from common.notifications import Notifications
from common.revocations import RevocationGuard, RevocationTables
from common.roles import Caller
from common.security import KeyStore, TokenVerifier
from common.tasks import stop_tasks
from common.telemetry import (
    NO_NATIVE_TELEMETRY,
    RequestTraceMiddleware,
    configure_tracing,
    instrument_app,
)

logger = logging.getLogger(__name__)

PrincipalCheck = Callable[[Request, Caller], Awaitable[None]]
Hook = Callable[[FastAPI], Awaitable[None]]


def _with_revocations(guard: RevocationGuard, check: PrincipalCheck | None) -> PrincipalCheck:
    """Refuse what auth revoked (``common.revocations``), then run the service's own check."""

    async def combined(request: Request, caller: Caller) -> None:
        await guard.check(request, caller)
        if check is not None:
            await check(request, caller)

    return combined


def create_app(
    *,
    settings: ServiceSettings,
    title: str,
    version: str,
    description: str,
    routers: Sequence[APIRouter],
    event_tables: EventTables | None = None,
    subscriptions: Sequence[Subscription[Any]] = (),
    published: Sequence[type[Published]] = (),
    key_store: KeyStore | None = None,
    principal_check: PrincipalCheck | None = None,
    on_startup: Sequence[Hook] = (),
    revocations: RevocationTables | None = None,
    openapi_tags: list[dict[str, Any]] | None = None,
) -> FastAPI:
    name = settings.service_name
    exporting = bool(settings.otel_exporter_otlp_endpoint)
    guard = (
        RevocationGuard(revocations, poll_interval=settings.revocation_poll_seconds)
        if revocations is not None
        else None
    )
    if guard is not None:
        subscriptions = [*subscriptions, *guard.subscriptions()]
        principal_check = _with_revocations(guard, principal_check)
        on_startup = [guard.start, *on_startup]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database(
            settings.database_url,
            pool_size=settings.database_pool_size,
            idle_seconds=settings.database_pool_idle_seconds or None,
            ping_after_seconds=settings.database_ping_after_idle_seconds,
        )
        app.state.database = database
        instrument_app(app, database.engine, exporting=exporting)
        await database.wait_until_ready()
        bus = NatsBus(
            settings.nats_url,
            name=f"shopfloor-{name}",
            stream_replicas=settings.nats_stream_replicas,
        )
        app.state.bus = bus
        # One LISTEN connection for the relay, the revocation guard and the service's own.
        notifications = Notifications(libpq_url(database.url))
        app.state.notifications = notifications
        background: list[asyncio.Task[None]] = [
            asyncio.create_task(notifications.run(), name=f"{name}-notifications"),
            asyncio.create_task(database.release_idle_connections(), name=f"{name}-pool-idle"),
            asyncio.create_task(_start_events(app, bus), name=f"{name}-events"),
        ]
        for hook in on_startup:
            await hook(app)
        release_startup_memory_once()
        try:
            yield
        finally:
            await stop_tasks(background + list(app.state.event_tasks))
            await bus.close()
            await database.dispose()

    async def _start_events(app: FastAPI, bus: NatsBus) -> None:
        """Connect to NATS (retrying), make our stream, then run the relay and consumers."""
        await bus.connect(timeout=float("inf"))
        await bus.ensure_stream(name)
        if event_tables is None:
            return
        relay = OutboxRelay(
            app.state.database,
            event_tables,
            bus,
            source=name,
            notifications=app.state.notifications,
        )
        app.state.relay = relay
        app.state.event_tasks.append(asyncio.create_task(relay.run(), name=f"{name}-relay"))
        if subscriptions:
            consumer = EventConsumer(
                service=name,
                database=app.state.database,
                tables=event_tables,
                bus=bus,
                subscriptions=subscriptions,
                max_deliver=settings.event_max_deliver,
                ack_wait=settings.event_ack_wait_seconds,
                batch_size=settings.event_batch_size,
            )
            app.state.consumer = consumer
            app.state.event_tasks.append(
                asyncio.create_task(consumer.run(), name=f"{name}-consumer")
            )

    install_decimal_context()
    configure_logging(name, settings.log_level)
    configure_tracing(name, settings.otel_exporter_otlp_endpoint)
    docs = settings.serves_docs
    app = FastAPI(
        title=title,
        version=version,
        description=description,
        lifespan=lifespan,
        docs_url=None,  # install_swagger_ui below: FastAPI's page needs a CDN
        redoc_url=None,
        openapi_url=f"/docs/{name}/openapi.json" if docs else None,
        openapi_tags=openapi_tags,
        redirect_slashes=False,
        telemetry=NO_NATIVE_TELEMETRY,
    )
    app.state.settings = settings
    app.state.published = list(published)
    app.state.subscriptions = list(subscriptions)
    app.state.service_name = name
    app.state.event_tasks = []
    app.state.event_tables = event_tables  # /healthz/details counts the outbox with them
    app.state.principal_check = principal_check
    app.state.revocations = guard
    app.state.token_verifier = TokenVerifier(
        key_store
        or KeyStore.from_config(
            jwks_url=settings.jwt_jwks_url,
            public_keys=settings.jwt_public_keys,
            refetch_interval=settings.jwks_refetch_interval_seconds,
        ),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        algorithm=settings.jwt_algorithm,
    )
    install_http_layer(app, settings)
    if docs:
        install_swagger_ui(app, f"/docs/{name}", f"/docs/{name}/openapi.json")
    if not exporting:
        app.add_middleware(RequestTraceMiddleware)  # outermost: every log line has the trace
    app.include_router(health_router)
    for router in routers:
        app.include_router(router)
    return app
