"""Every table of audit, imported once so Alembic and the tests see the whole schema."""

from __future__ import annotations

from audit.db import EVENT_TABLES, REVOKED_USERS, Base
from audit.notes.models import Note
from audit.stores.models import Store

__all__ = ["EVENT_TABLES", "REVOKED_USERS", "Base", "Note", "Store"]
