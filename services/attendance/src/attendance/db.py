"""The attendance database's declarative base, with common's event and revocation tables."""

from __future__ import annotations

from common.db import ServiceBase, new_metadata
from common.events.tables import event_tables
from common.revocations import revocation_table


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)
REVOKED_USERS = revocation_table(Base.metadata)
