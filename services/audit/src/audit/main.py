"""create_app for audit: its routers, the events it publishes and the ones it consumes."""

from __future__ import annotations

from fastapi import FastAPI

from audit import __version__
from audit.config import AuditSettings, get_settings
from audit.events.contracts import PUBLISHED
from audit.events.handlers import SUBSCRIPTIONS
from audit.models import EVENT_TABLES, REVOKED_USERS
from audit.notes.router import router as notes_router
from common.app import create_app

DESCRIPTION = """The append-only activity log of every event of every service: filters, streaming CSV/JSON/NDJSON export, hash-chained monthly partitions

Store notes (the scaffold's example domain): staff of a store write and read its notes,
a branch head edits them, a system admin deletes them. Stores come from catalog's
`catalog.store.*` events (a read-model; nothing calls catalog on the request path)."""


def build_app(settings: AuditSettings | None = None) -> FastAPI:
    return create_app(
        settings=settings or get_settings(),
        title="Shopfloor audit",
        version=__version__,
        description=DESCRIPTION,
        routers=[notes_router],
        event_tables=EVENT_TABLES,
        subscriptions=SUBSCRIPTIONS,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
    )


def __getattr__(name: str) -> FastAPI:
    """``audit.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
