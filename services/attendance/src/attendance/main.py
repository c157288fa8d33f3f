"""create_app for attendance: its routers, the events it publishes and the ones it consumes."""

from __future__ import annotations

from fastapi import FastAPI

from attendance import __version__
from attendance.config import AttendanceSettings, get_settings
from attendance.events.contracts import PUBLISHED
from attendance.events.handlers import SUBSCRIPTIONS
from attendance.models import EVENT_TABLES, REVOKED_USERS
from attendance.notes.router import router as notes_router
from common.app import create_app

DESCRIPTION = """Staff attendance: selfie check-in inside the store's geofence, shifts and schedules in the store's time zone, approvals, payroll profiles, monthly reports, and HR time entries, sick leave and modification requests

Store notes (the scaffold's example domain): staff of a store write and read its notes,
a branch head edits them, a system admin deletes them. Stores come from catalog's
`catalog.store.*` events (a read-model; nothing calls catalog on the request path)."""


def build_app(settings: AttendanceSettings | None = None) -> FastAPI:
    return create_app(
        settings=settings or get_settings(),
        title="Shopfloor attendance",
        version=__version__,
        description=DESCRIPTION,
        routers=[notes_router],
        event_tables=EVENT_TABLES,
        subscriptions=SUBSCRIPTIONS,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
    )


def __getattr__(name: str) -> FastAPI:
    """``attendance.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
