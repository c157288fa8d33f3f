"""One row per monthly partition of the log: its table, how many rows it holds and the head
of its hash chain (the row kept after retention drops the partition, with ``dropped_at``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from audit.db import Base


class LogMonth(Base):
    __tablename__ = "log_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the first day, UTC
    partition: Mapped[str] = mapped_column(String(63))
    rows: Mapped[int] = mapped_column(BigInteger, default=0)
    head_position: Mapped[int] = mapped_column(BigInteger, default=0)
    head_hash: Mapped[str | None] = mapped_column(String(64))  # None: nothing recorded yet
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    dropped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
