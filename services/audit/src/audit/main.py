"""create_app for audit: its routers, the log's ingester and partition keeper, the events
it publishes and the store events it reads."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from audit import __version__
from audit.config import AuditSettings, get_settings
from audit.entries.router import router as entries_router
from audit.events.contracts import PUBLISHED
from audit.events.handlers import SUBSCRIPTIONS
from audit.exports.router import router as exports_router
from audit.integrity.router import router as integrity_router
from audit.models import EVENT_TABLES, REVOKED_USERS
from audit.partitions.maintenance import PartitionKeeper
from audit.streams.ingester import Ingester
from audit.streams.router import router as streams_router
from common.app import create_app

DESCRIPTION = """The append-only activity log of every event of every service.

Every JetStream stream (found at start-up and then periodically) is consumed by a durable
consumer; each event becomes one row (a redelivery changes nothing) with its actor, entity,
store, request and trace ids and its payload **masked** (e-mails, phones, tokens, selfie
paths). Events that cannot be parsed are kept raw and flagged.

Rows live in monthly partitions, append-only (UPDATE and DELETE are refused), each row
hash-chained to the previous one of its month: `GET /api/audit/verify?month=YYYY-MM`
recomputes a month, and every export ends with its row count and chain head.

A system admin reads everything; a branch head reads the rows of their own stores."""

TAGS = [
    {"name": "logs", "description": "The activity log (seed 000), its entries and exports"},
    {"name": "audit", "description": "Audit (seed 004): actions, chain verification, streams"},
]


async def start_log(app: FastAPI) -> None:
    """Partitions for the coming months before the first request; then, in the background,
    the partition keeper (retention) and the ingester (discovery + one consumer per stream)."""
    settings: AuditSettings = app.state.settings
    keeper = PartitionKeeper(app.state.database, settings)
    await keeper.run_once()
    ingester = Ingester(database=app.state.database, bus=app.state.bus, settings=settings)
    app.state.keeper, app.state.ingester = keeper, ingester
    app.state.event_tasks.extend(
        [
            asyncio.create_task(keeper.run(), name="audit-partitions"),
            asyncio.create_task(ingester.run(), name="audit-ingester"),
        ]
    )


def build_app(settings: AuditSettings | None = None) -> FastAPI:
    return create_app(
        settings=settings or get_settings(),
        title="Shopfloor audit",
        version=__version__,
        description=DESCRIPTION,
        # the export before /api/logs/{entry_id}, which would take "export" for an id
        routers=[exports_router, entries_router, integrity_router, streams_router],
        event_tables=EVENT_TABLES,
        subscriptions=SUBSCRIPTIONS,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
        on_startup=[start_log],
        openapi_tags=TAGS,
    )


def __getattr__(name: str) -> FastAPI:
    """``audit.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
