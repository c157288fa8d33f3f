"""create_app for invoicing: its routers, the events it publishes and the ones it consumes."""

from __future__ import annotations

from fastapi import FastAPI

from common.app import create_app
from invoicing import __version__
from invoicing.config import InvoicingSettings, get_settings
from invoicing.events.contracts import PUBLISHED
from invoicing.events.handlers import SUBSCRIPTIONS
from invoicing.models import EVENT_TABLES, REVOKED_USERS
from invoicing.notes.router import router as notes_router

DESCRIPTION = """Invoices with gapless numbers per store and year, payments that recalculate the invoice's status, a paid invoice for every POS sale, and reports in each store's time zone.

Store notes (the scaffold's example domain): staff of a store write and read its notes,
a branch head edits them, a system admin deletes them. Stores come from catalog's
`catalog.store.*` events (a read-model; nothing calls catalog on the request path)."""


def build_app(settings: InvoicingSettings | None = None) -> FastAPI:
    return create_app(
        settings=settings or get_settings(),
        title="Shopfloor invoicing",
        version=__version__,
        description=DESCRIPTION,
        routers=[notes_router],
        event_tables=EVENT_TABLES,
        subscriptions=SUBSCRIPTIONS,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
    )


def __getattr__(name: str) -> FastAPI:
    """``invoicing.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
