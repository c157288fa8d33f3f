"""What POS can sell, as the other services told it: inventory's unit items (one physical
thing each) and catalog's articles (variants and spares, sold by quantity). The sale path
reads only these tables, so POS keeps selling while inventory is down."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, Index, String, Uuid, func, text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY
from pos.db import Base, text_enum

# inventory's statuses of a unit that POS itself writes (the rest it only copies)
ON_SHELF = "on_shelf"
SOLD = "sold"


class ArticleKind(StrEnum):
    variant = "variant"
    spare = "spare"


class SellableItem(Base):
    """inventory's unit items as ``inventory.item.*`` told us, plus who holds them in a cart.

    ``sellable`` follows inventory (on the shelf); POS marks a unit it sold ``sold`` at once,
    without waiting for inventory, and gives it back on a void. ``status`` is inventory's
    word for the unit (``intake``, ``on_shelf``, ``sold`` ...), kept as inventory sent it."""

    __tablename__ = "sellable_items"
    __table_args__ = (Index("ix_sellable_items_sku_upper", func.upper(text("sku")), unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # inventory's item id
    sku: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(140), default="")
    brand: Mapped[str] = mapped_column(String(120), default="")
    condition: Mapped[str] = mapped_column(String(20), default="")
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    location_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(20))
    sellable: Mapped[bool] = mapped_column(Boolean, default=False)
    held_by_cart_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    sold_in_sale_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Article(Base):
    """Quantity-tracked things sold by SKU: catalog's variants and spares (by part number)."""

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_sku_upper", func.upper(text("sku")), unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # catalog's id
    kind: Mapped[ArticleKind] = mapped_column(text_enum(ArticleKind, 10))
    sku: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
