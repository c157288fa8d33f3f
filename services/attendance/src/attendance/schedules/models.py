"""Schedules: a shift assigned to a person on days of the week, from a date (until one)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from attendance.db import Base
from common.db import Timestamps


class Schedule(Timestamps, Base):
    __tablename__ = "schedules"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), index=True)
    shift_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("shifts.id"))
    weekdays: Mapped[list[int]] = mapped_column(ARRAY(Integer))  # 0 = Monday ... 6 = Sunday
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")

    def applies(self, day: date) -> bool:
        return (
            self.is_active
            and day.weekday() in self.weekdays
            and self.effective_from <= day
            and (self.effective_to is None or day <= self.effective_to)
        )
