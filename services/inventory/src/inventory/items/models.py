"""``items``: unit-tracked stock, one row per physical unit with its own SKU, price,
condition and status (a resale store's stock), and ``item_history``, its lifecycle."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import MONEY, Timestamps
from inventory.db import Base
from inventory.stores.models import Store


class ItemStatus(StrEnum):
    intake = "intake"
    on_shelf = "on_shelf"
    reserved = "reserved"
    sold = "sold"
    returned = "returned"
    damaged = "damaged"
    lost = "lost"


class Condition(StrEnum):
    new = "new"
    like_new = "like_new"
    good = "good"
    fair = "fair"
    poor = "poor"
    for_parts = "for_parts"


class ProcessingTier(StrEnum):
    batch = "batch"  # one of a batch group's units, processed with the others
    individual = "individual"  # processed on its own (never grouped, or detached)


class Source(StrEnum):
    purchase_order = "purchase_order"
    trade_in = "trade_in"
    donation = "donation"
    consignment = "consignment"
    manual = "manual"


OUT_OF_STOCK = frozenset({ItemStatus.sold, ItemStatus.lost})
SELLABLE = frozenset({ItemStatus.on_shelf, ItemStatus.reserved})
PRICE_SHOWN = SELLABLE  # the public lookup shows the price of a unit that may be sold


class Item(Timestamps, Base):
    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint("price IS NULL OR price >= 0", name="price_not_negative"),
        CheckConstraint("cost IS NULL OR cost >= 0", name="cost_not_negative"),
        Index("ix_items_store_status", "store_id", "status"),
        Index("ix_items_created", "created_at"),
        Index("ix_items_sku_upper", func.upper(text("sku"))),  # SKU lookups ignore case
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    sku: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    product_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    category: Mapped[str] = mapped_column(String(140), default="", index=True)
    brand: Mapped[str] = mapped_column(String(120), default="")
    condition: Mapped[str] = mapped_column(String(20), index=True)
    source: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    cost: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"), index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str | None] = mapped_column(String(64))
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sold_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sale_id: Mapped[str | None] = mapped_column(String(64))
    # consignment: the consignee (auth user id) who owns the unit until it sells
    owner_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # a creation sent with an Idempotency-Key (another service retrying): one unit per key
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # intake: the purchase order and manifest row a unit came from, and its batch group
    purchase_order_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("purchase_orders.id"), index=True
    )
    manifest_row_id: Mapped[int | None] = mapped_column(BigInteger)
    batch_group_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("batch_groups.id", ondelete="SET NULL"), index=True
    )
    processing_tier: Mapped[str] = mapped_column(
        String(12),
        default=ProcessingTier.individual,
        server_default=ProcessingTier.individual.value,
    )

    store: Mapped[Store] = relationship(lazy="joined")

    @property
    def in_stock(self) -> bool:
        """One on the ledger at its location: it has a location and is neither sold nor lost."""
        return self.location_id is not None and self.status not in OUT_OF_STOCK

    @property
    def sellable(self) -> bool:
        """On the shelf: what POS may sell and the public lookup calls available."""
        return self.status == ItemStatus.on_shelf

    @property
    def shown_price(self) -> Decimal | None:
        """The price the public sees: only once the unit is on the shelf (or reserved)."""
        return self.price if self.status in PRICE_SHOWN else None


class ItemEvent(Base):
    """One lifecycle event of a unit: created, checked in, priced, moved, sold, returned, voided …"""

    __tablename__ = "item_history"
    __table_args__ = (Index("ix_item_history_item", "item_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(String(20), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    actor: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
