"""``batch_groups``: units created from a manifest that share a product (or, without one, a
title) and a condition, so that price, condition, location and check-in apply to all."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY, Timestamps
from inventory.db import Base


class BatchStatus(StrEnum):
    pending = "pending"  # created; its units wait in intake
    processed = "processed"  # price / condition / location applied to all
    checked_in = "checked_in"  # every unit left intake (on the shelf)


class BatchGroup(Timestamps, Base):
    __tablename__ = "batch_groups"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'processed', 'checked_in')", name="status_known"),
        CheckConstraint("price IS NULL OR price >= 0", name="price_not_negative"),
        Index("ix_batch_groups_order_status", "order_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE")
    )
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    product_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    title: Mapped[str] = mapped_column(String(300))
    condition: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default=BatchStatus.pending)
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str | None] = mapped_column(String(64))
