"""Voids of POS sales that arrived before the sale itself (two subscriptions, no order
between them): the sale's invoice is voided the moment it is made."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from invoicing.db import Base


class EarlySaleVoid(Base):
    __tablename__ = "early_sale_voids"

    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    voided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
