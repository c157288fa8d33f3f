"""``vendor_product_refs``: vendor + the vendor's item number → a product (one per pair)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Uuid, func, text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Timestamps
from inventory.db import Base


class VendorProductRef(Timestamps, Base):
    __tablename__ = "vendor_product_refs"
    __table_args__ = (
        Index(
            "uq_vendor_product_refs_item",
            "vendor_id",
            func.upper(text("vendor_item_number")),
            unique=True,
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    vendor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"))
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product_profiles.product_id", ondelete="CASCADE"), index=True
    )
    vendor_item_number: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300), default="")
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
