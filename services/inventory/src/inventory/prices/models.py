"""``price_logs``: a price change of an item, variant, product or spare — ours, or catalog's
through its events."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Identity, Index, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY
from inventory.db import Base


class PricedThing(StrEnum):
    item = "item"
    variant = "variant"
    product = "product"
    spare = "spare"


class PriceLog(Base):
    __tablename__ = "price_logs"
    __table_args__ = (
        CheckConstraint(
            "subject_type IN ('item', 'variant', 'product', 'spare')", name="subject_known"
        ),
        Index("ix_price_logs_subject", "subject_type", "subject_id"),
        Index("ix_price_logs_changed", "changed_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[str] = mapped_column(String(64))
    sku: Mapped[str] = mapped_column(String(80), default="", index=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    old_price: Mapped[Decimal | None] = mapped_column(MONEY)
    new_price: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    source: Mapped[str] = mapped_column(String(60))
    actor: Mapped[str | None] = mapped_column(String(64))
    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
