"""The products and variants tables, placed in the taxonomy (``catalog.taxonomy.models``)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import Base
from catalog.taxonomy.models import Brand, Category, Department, Quality, Subcategory, Unit
from common.db import Timestamps


class ProductStatus(StrEnum):
    active = "active"
    draft = "draft"
    archived = "archived"


class Product(Timestamps, Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("base_price >= 0", name="base_price_not_negative"),
        Index(
            "ix_products_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        Index("ix_products_status_price", "status", "base_price"),
        Index("ix_products_created", "created_at"),
        Index("ix_products_base_price", "base_price"),
        Index("ix_products_name", "name"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    brand_id: Mapped[int | None] = mapped_column(
        ForeignKey("brands.id", ondelete="RESTRICT"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    subcategory_id: Mapped[int | None] = mapped_column(
        ForeignKey("subcategories.id", ondelete="RESTRICT"), index=True
    )
    base_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # Stored as its text value (VARCHAR(16), no database enum: a new status needs no migration).
    status: Mapped[ProductStatus] = mapped_column(
        Enum(ProductStatus, native_enum=False, length=16, validate_strings=True),
        default=ProductStatus.active,
        index=True,
    )
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    images: Mapped[list[str]] = mapped_column(JSONB, default=list)
    # Lower-cased, accent-stripped name + description + variant SKUs, trigram-indexed for ?search=.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The creating request's Idempotency-Key and its body's hash (``common.idempotency``):
    # the same key again answers this product, with another body it is refused.
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    request_hash: Mapped[str | None] = mapped_column(String(64))

    brand: Mapped[Brand | None] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")
    category: Mapped[Category | None] = relationship(lazy="joined")
    subcategory: Mapped[Subcategory | None] = relationship(lazy="joined")


class Variant(Timestamps, Base):
    __tablename__ = "variants"
    __table_args__ = (
        CheckConstraint("price_override IS NULL OR price_override >= 0", name="price_not_negative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    price_override: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    quality_id: Mapped[int | None] = mapped_column(ForeignKey("qualities.id", ondelete="RESTRICT"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    product: Mapped[Product] = relationship(lazy="joined")
    unit: Mapped[Unit | None] = relationship(lazy="joined")
    quality: Mapped[Quality | None] = relationship(lazy="joined")

    @property
    def price(self) -> Decimal:
        """The price it sells at: its override, else the product's base price."""
        return self.price_override if self.price_override is not None else self.product.base_price
