"""catalog's stores as its ``catalog.store.*`` events told us (a read-model: catalog owns them),
plus the one thing bookings owns about a store: its opening hours for bookings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, String, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bookings.db import Base


class Store(Base):
    __tablename__ = "stores"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The time of the event this row was last written from: an older event never wins.
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Bookings' own column (never written by an event): {"monday": {"opens": "09:00",
    # "closes": "18:00"}, ...}; a day left out is closed; NULL = no hours set (any time).
    opening_hours: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
