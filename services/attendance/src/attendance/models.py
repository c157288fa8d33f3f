"""Every table of attendance, imported once so Alembic and the tests see the whole schema."""

from __future__ import annotations

from attendance.db import EVENT_TABLES, REVOKED_USERS, Base
from attendance.notes.models import Note
from attendance.stores.models import Store

__all__ = ["EVENT_TABLES", "REVOKED_USERS", "Base", "Note", "Store"]
