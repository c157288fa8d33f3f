"""Bookings, the issues each names (copied as they were offered), and each one's history."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from bookings.db import Base
from common.db import MONEY, Timestamps


class Booking(Timestamps, Base):
    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_status_date", "status", "slot_date", "starts_at"),
        Index("ix_bookings_date", "slot_date", "starts_at"),
        Index("ix_bookings_email_key", "email_key"),
        Index("ix_bookings_store_date", "store_id", "slot_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    email_key: Mapped[str] = mapped_column(String(320))  # lower-cased, for ?mine=true
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    slot_date: Mapped[date] = mapped_column(Date)  # in the store's time zone
    slot_time: Mapped[time] = mapped_column(Time)
    time_zone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    brand: Mapped[str | None] = mapped_column(String(100), nullable=True)
    product: Mapped[str | None] = mapped_column(String(200), nullable=True)
    other_issue: Mapped[str | None] = mapped_column(Text, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    quoted_amount: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # of a rejection/cancellation
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)


class BookingIssue(Base):
    """An issue a booking names, as it was offered then (price and all)."""

    __tablename__ = "booking_issues"
    __table_args__ = (Index("ix_booking_issues_booking_id", "booking_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bookings.id"))
    issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("issues.id", ondelete="SET NULL"), nullable=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    estimated_price: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    estimated_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)


class BookingChange(Base):
    """One row per status a booking took (creation included): who, when, why."""

    __tablename__ = "booking_history"
    __table_args__ = (Index("ix_booking_history_booking_id", "booking_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bookings.id"))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    changed_by: Mapped[str] = mapped_column(String(20))  # admin, customer, invoicing
    actor: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
