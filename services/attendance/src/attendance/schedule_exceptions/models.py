"""Schedule exceptions: a holiday, a swap or a leave overriding the roster for some days."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from attendance.db import Base
from common.db import Timestamps


class ExceptionKind(StrEnum):
    holiday = "holiday"  # nobody (or this person) is expected; not an absence
    swap = "swap"  # this person works ``shift_id`` instead of their scheduled shifts
    leave = "leave"  # this person is away; not an absence


class ScheduleException(Timestamps, Base):
    __tablename__ = "schedule_exceptions"
    __table_args__ = (Index("ix_schedule_exceptions_store_dates", "store_id", "date_from"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"))
    person_id: Mapped[str | None] = mapped_column(String(64), index=True)  # None: the whole store
    kind: Mapped[str] = mapped_column(String(16))
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    shift_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("shifts.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    def covers(self, day: date) -> bool:
        return self.date_from <= day <= self.date_to
