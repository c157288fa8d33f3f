"""Shifts of a store: start and end in the store's local time, with their grace and break rules."""

from __future__ import annotations

import uuid
from datetime import time

from sqlalchemy import Boolean, ForeignKey, Integer, String, Time, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from attendance.db import Base
from common.db import Timestamps


class Shift(Timestamps, Base):
    __tablename__ = "shifts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    start_time: Mapped[time] = mapped_column(Time)  # local wall-clock time at the store
    end_time: Mapped[time] = mapped_column(Time)
    overnight: Mapped[bool] = mapped_column(Boolean, default=False)  # ends the next day
    grace_late_minutes: Mapped[int] = mapped_column(Integer, default=10)
    grace_early_minutes: Mapped[int] = mapped_column(Integer, default=10)
    # A check-in counts for this shift from this long before its start until its end.
    check_in_opens_minutes: Mapped[int] = mapped_column(Integer, default=60)
    # Unpaid break deducted from a day of at least break_after_minutes worked.
    break_minutes: Mapped[int] = mapped_column(Integer, default=0)
    break_after_minutes: Mapped[int] = mapped_column(Integer, default=360)
    # A check-out later than end + this, with overtime requested, asks a manager to approve it.
    overtime_after_minutes: Mapped[int] = mapped_column(Integer, default=15)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
