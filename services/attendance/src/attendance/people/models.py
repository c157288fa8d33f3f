"""auth's staff as its ``auth.user.*`` events told us (a read-model: auth owns them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from attendance.db import Base


class Person(Base):
    """A member of staff: who punches, who is scheduled, who approves."""

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_store_ids", "store_ids", postgresql_using="gin"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # auth's user id (token `sub`)
    email: Mapped[str] = mapped_column(String(254), default="")
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(32))
    store_ids: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The time of the event this row was last written from: an older event never wins.
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email or self.id
