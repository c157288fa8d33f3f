"""``vendors``: who purchase orders are placed with (soft-deleted through ``is_active``)."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Index, String, Text, Uuid, func, text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Timestamps
from inventory.db import Base


class Vendor(Timestamps, Base):
    __tablename__ = "vendors"
    __table_args__ = (Index("uq_vendors_code", func.upper(text("code")), unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
