"""Catalog's products as read from ``catalog.product.*`` (``catalog_products``, a read-model),
and inventory's matching metadata keyed by the catalog product id (``product_profiles``
with their ``product_upcs``). A product has one notion — catalog's; inventory only adds
what it needs to recognise a manifest row as that product."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, Uuid, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import MONEY, Timestamps
from inventory.db import Base


class CatalogProduct(Base):
    """A catalog product (never written by inventory's routes, only from catalog's events
    or catalog's answer to a product inventory created there)."""

    __tablename__ = "catalog_products"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # catalog's id
    slug: Mapped[str] = mapped_column(String(220))
    name: Mapped[str] = mapped_column(String(300))
    brand: Mapped[str | None] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(220))
    base_price: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    status: Mapped[str] = mapped_column(String(16), default="active")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ProductProfile(Timestamps, Base):
    """Inventory's matching metadata of one catalog product."""

    __tablename__ = "product_profiles"

    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("catalog_products.id", ondelete="CASCADE"), primary_key=True
    )
    brand: Mapped[str] = mapped_column(String(120), default="")
    model: Mapped[str] = mapped_column(String(120), default="")
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("intake_categories.id", ondelete="RESTRICT"), index=True
    )
    aliases: Mapped[list[str]] = mapped_column(JSONB, default=list)
    specs: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    default_condition: Mapped[str | None] = mapped_column(String(20))
    # lower-cased name, brand, model, aliases and UPCs, for ?search=
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str | None] = mapped_column(String(64))

    product: Mapped[CatalogProduct] = relationship(lazy="joined")
    codes: Mapped[list[ProductUpc]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ProductUpc.upc"
    )

    @property
    def upcs(self) -> list[str]:
        return [code.upc for code in self.codes]


class ProductUpc(Base):
    """A UPC names one product."""

    __tablename__ = "product_upcs"

    upc: Mapped[str] = mapped_column(String(14), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product_profiles.product_id", ondelete="CASCADE"), index=True
    )
