"""auth's users as its ``auth.user.*`` events told us (a read-model: auth owns them). A
booking belongs to a customer account when their emails match (``GET /api/bookings?mine=true``,
the customer on ``bookings.booking.completed``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bookings.db import Base


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (Index("ix_customers_email_key", "email_key"),)

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    email_key: Mapped[str] = mapped_column(String(320))  # lower-cased: what bookings match on
    first_name: Mapped[str] = mapped_column(String(150), default="")
    last_name: Mapped[str] = mapped_column(String(150), default="")
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    role: Mapped[str] = mapped_column(String(30))
    customer_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
