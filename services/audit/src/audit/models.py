"""Every table of audit, imported once so Alembic and the tests see the whole schema."""

from __future__ import annotations

from audit.db import EVENT_TABLES, REVOKED_USERS, Base
from audit.entries.models import ActionCount, AuditEntry
from audit.partitions.models import LogMonth
from audit.stores.models import Store
from audit.streams.models import ConsumedStream

__all__ = [
    "EVENT_TABLES",
    "REVOKED_USERS",
    "ActionCount",
    "AuditEntry",
    "Base",
    "ConsumedStream",
    "LogMonth",
    "Store",
]
