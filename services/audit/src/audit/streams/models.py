"""The JetStream streams audit consumes: found by discovery, with how far it has recorded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from audit.db import Base


class ConsumedStream(Base):
    __tablename__ = "consumed_streams"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    subjects: Mapped[list[str]] = mapped_column(JSON)
    durable: Mapped[str] = mapped_column(String(200))
    discovered_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # The highest stream sequence recorded (a row written or a redelivery recognised).
    last_sequence: Mapped[int] = mapped_column(BigInteger, default=0)
    recorded: Mapped[int] = mapped_column(BigInteger, default=0)
    flagged: Mapped[int] = mapped_column(BigInteger, default=0)  # rows kept raw: unreadable
    last_recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
