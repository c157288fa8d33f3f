"""create_app for bookings: its routers, the events it publishes and the ones it consumes."""

from __future__ import annotations

from fastapi import FastAPI

from bookings import __version__
from bookings.config import BookingsSettings, get_settings
from bookings.events.contracts import PUBLISHED
from bookings.events.handlers import SUBSCRIPTIONS
from bookings.models import EVENT_TABLES, REVOKED_USERS
from bookings.notes.router import router as notes_router
from common.app import create_app

DESCRIPTION = """public repair bookings with captcha and throttles, the status transition table, issue presets and questionnaires, marketing leads, and bookings marked paid from invoicing's payments

Store notes (the scaffold's example domain): staff of a store write and read its notes,
a branch head edits them, a system admin deletes them. Stores come from catalog's
`catalog.store.*` events (a read-model; nothing calls catalog on the request path)."""


def build_app(settings: BookingsSettings | None = None) -> FastAPI:
    return create_app(
        settings=settings or get_settings(),
        title="Shopfloor bookings",
        version=__version__,
        description=DESCRIPTION,
        routers=[notes_router],
        event_tables=EVENT_TABLES,
        subscriptions=SUBSCRIPTIONS,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
    )


def __getattr__(name: str) -> FastAPI:
    """``bookings.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
