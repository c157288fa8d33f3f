"""Every table of invoicing, imported once so Alembic and the tests see the whole schema."""

from __future__ import annotations

from invoicing.db import EVENT_TABLES, REVOKED_USERS, Base
from invoicing.notes.models import Note
from invoicing.stores.models import Store

__all__ = ["EVENT_TABLES", "REVOKED_USERS", "Base", "Note", "Store"]
