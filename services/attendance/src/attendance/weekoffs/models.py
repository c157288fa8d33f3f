"""Weekly offs: a person's day of the week without work, from a date (and until one)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from attendance.db import Base
from common.db import Timestamps


class WeeklyOff(Timestamps, Base):
    __tablename__ = "weekly_offs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday ... 6 = Sunday
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    def applies(self, day: date) -> bool:
        return (
            day.weekday() == self.weekday
            and self.effective_from <= day
            and (self.effective_to is None or day <= self.effective_to)
        )
