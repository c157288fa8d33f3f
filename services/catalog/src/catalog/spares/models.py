"""The spares table and its compatibility with products and brands."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import Base
from catalog.products.models import Product
from catalog.taxonomy.models import Brand
from common.db import Timestamps

spare_products = Table(
    "spare_products",
    Base.metadata,
    Column("spare_id", ForeignKey("spares.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
)
spare_brands = Table(
    "spare_brands",
    Base.metadata,
    Column("spare_id", ForeignKey("spares.id", ondelete="CASCADE"), primary_key=True),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True),
)


class Spare(Timestamps, Base):
    __tablename__ = "spares"
    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    part_number: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    stock_hint: Mapped[int] = mapped_column(Integer, default=0)
    compatible_products: Mapped[list[Product]] = relationship(
        secondary=spare_products, lazy="selectin"
    )
    compatible_brands: Mapped[list[Brand]] = relationship(secondary=spare_brands, lazy="selectin")
