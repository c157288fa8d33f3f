"""The stores POS sells in: catalog's stores as ``catalog.store.*`` told us, plus POS's own
tax rate for each."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, String, Text, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from pos.db import RATE, Base


class Store(Base):
    """catalog's stores as ``catalog.store.*`` told us; ``tax_rate`` is POS's own setting."""

    __tablename__ = "stores"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    tax_rate: Mapped[Decimal] = mapped_column(RATE, default=Decimal("0"))
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
