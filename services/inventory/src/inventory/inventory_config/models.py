"""``inventory_config``: the one global configuration row (id is always 1)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import QUANTITY
from inventory.db import Base


class Valuation(StrEnum):
    moving_average = "moving_average"


class InventoryConfig(Base):
    __tablename__ = "inventory_config"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("default_low_stock_threshold >= 0", name="threshold_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    default_low_stock_threshold: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    low_stock_overrides: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    allow_negative_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_over_receipt: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )
    valuation_method: Mapped[str] = mapped_column(String(20), default="moving_average")
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    def threshold_for(self, sku: str) -> Decimal:
        """The low-stock threshold of a SKU: its override, else the default (0: never low)."""
        override = (self.low_stock_overrides or {}).get(sku.upper())
        return Decimal(str(override)) if override is not None else self.default_low_stock_threshold
