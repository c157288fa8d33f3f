"""What audit publishes (``PUBLISHED``), and its own trimmed copies of what it consumes.

Audit records every event of every stream as it came (``streams/``, not a subscription
with a contract); the only contract it consumes is catalog's store events, for the stores
a ``?store=`` filter may name. Published contracts forbid unknown fields."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from common.events.contracts import Consumed, Published


class PartitionDropped(Published, subjects=("audit.partition.dropped",)):
    """Retention dropped a month of the log: its row count and chain head as they were."""

    month: str = Field(description="YYYY-MM")
    partition: str = Field(description="the dropped table")
    rows: int
    head_position: int
    head_hash: str | None = Field(description="the month's last chain hash (None: it was empty)")
    retention_months: int
    dropped_at: datetime


PUBLISHED: list[type[Published]] = [PartitionDropped]


class StoreChanged(Consumed):
    """catalog.store.created|updated|deleted, as far as audit reads it."""

    store_id: uuid.UUID
    code: str
    name: str
    time_zone: str = "UTC"
    is_active: bool = True
