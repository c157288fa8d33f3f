"""The ``articles`` read-model: a quantity-tracked thing from catalog, a variant (by SKU)
or a spare (by part number)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, DateTime, Index, String, Uuid, func, text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY
from inventory.db import Base


class ArticleKind(StrEnum):
    variant = "variant"
    spare = "spare"


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint("kind IN ('variant', 'spare')", name="kind_known"),
        Index("ix_articles_sku_upper", func.upper(text("sku"))),  # SKU lookups ignore case
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # catalog's id
    kind: Mapped[str] = mapped_column(String(10))
    sku: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    product_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
