"""HR departments (seed 002): the teams staff clock in for, of one store or of the company."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, Identity, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from attendance.db import Base
from common.db import Timestamps


class Department(Timestamps, Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, Identity(always=True), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("stores.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
