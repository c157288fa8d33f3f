"""Payroll profiles: how a person is paid, from a date (until one); ranges never overlap."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, Numeric, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from attendance.db import Base
from common.db import MONEY, Timestamps


class PayType(StrEnum):
    hourly = "hourly"
    monthly = "monthly"


class PayrollProfile(Timestamps, Base):
    __tablename__ = "payroll_profiles"
    __table_args__ = (UniqueConstraint("person_id", "effective_from"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    pay_type: Mapped[str] = mapped_column(String(16))
    hourly_rate: Mapped[Decimal | None] = mapped_column(MONEY)
    monthly_salary: Mapped[Decimal | None] = mapped_column(MONEY)
    ot_multiplier: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("1.50"))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    updated_by: Mapped[str | None] = mapped_column(String(64))

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )
