"""Every table of bookings, imported once so Alembic and the tests see the whole schema."""

from __future__ import annotations

from bookings.db import EVENT_TABLES, REVOKED_USERS, Base
from bookings.notes.models import Note
from bookings.stores.models import Store

__all__ = ["EVENT_TABLES", "REVOKED_USERS", "Base", "Note", "Store"]
