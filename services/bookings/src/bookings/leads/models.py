"""Marketing leads: contact-form messages and callback requests, one row per person and kind
and day (a repeat within a day updates the row and counts)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Date, DateTime, Index, Integer, String, Text, Time, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from bookings.db import Base


class LeadKind(StrEnum):
    contact = "contact"
    schedule_call = "schedule_call"


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_email", "kind", "email_key", "first_received_at"),
        Index("ix_leads_phone", "kind", "phone_key", "first_received_at"),
        Index("ix_leads_received", "last_received_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    email_key: Mapped[str | None] = mapped_column(String(320), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    phone_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    source_page: Mapped[str | None] = mapped_column(String(500), nullable=True)
    preferred_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    preferred_time: Mapped[time | None] = mapped_column(Time, nullable=True)
    submissions: Mapped[int] = mapped_column(Integer, default=1)
    first_received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
