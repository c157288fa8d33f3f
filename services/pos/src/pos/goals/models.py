"""Daily revenue goals: what a store means to take on a day, one per store and day."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY, Timestamps
from pos.db import Base


class RevenueGoal(Timestamps, Base):
    __tablename__ = "revenue_goals"
    __table_args__ = (
        UniqueConstraint("store_id", "day", name="uq_revenue_goals_store_day"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    day: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    notes: Mapped[str] = mapped_column(Text, default="")
