"""POS's read-model of auth's customers: a sale names one by customer number."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from pos.db import Base


class Customer(Base):
    """auth's customers as ``auth.user.*`` told us: a sale names one by customer number."""

    __tablename__ = "customers"
    __table_args__ = (
        Index("uq_customers_number_upper", func.upper(text("customer_number")), unique=True),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # auth's user id
    customer_number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
