"""Answers to booking questions, each with its own copy of the question as it was asked."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from bookings.db import Base


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (Index("ix_responses_booking_id", "booking_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bookings.id"))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL"), nullable=True
    )
    question_version: Mapped[int] = mapped_column(Integer)
    question_set_name: Mapped[str] = mapped_column(String(100))
    question_text: Mapped[str] = mapped_column(String(500))  # as the customer read it
    response: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
