"""The inventory database.

- read-models fed by catalog's events: ``stores`` and ``articles`` (catalog
  variants and spares, the quantity-tracked things, by SKU);
- ``locations``: a tree per store;
- ``items``: unit-tracked stock, one row per physical unit with its own SKU;
- ``stock_keys``: what the ledger counts (an article or an item);
- ``stock_ledger`` (append-only, a trigger refuses UPDATE/DELETE) and
  ``stock_balances`` (per stock key and location, always the ledger's sum);
- ``stock_entries`` and their lines: receipt, issue, transfer, adjustment;
- ``serials`` and their history, ``price_logs``, ``item_history``, the
  one-row ``inventory_config``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import MONEY, QUANTITY, ServiceBase, Timestamps, new_metadata
from common.events.tables import event_tables
from common.revocations import revocation_table


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)
REVOKED_USERS = revocation_table(Base.metadata)


class Store(Base):
    """catalog's stores, as ``catalog.store.*`` told us (never written by our own routes)."""

    __tablename__ = "stores"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Article(Base):
    """A quantity-tracked thing from catalog: a variant (by SKU) or a spare (by part number)."""

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


class Location(Timestamps, Base):
    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("store_id", "code", name="uq_locations_store_code"),
        Index(
            "uq_locations_one_default_per_store",
            "store_id",
            unique=True,
            postgresql_where=text("is_default"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    store: Mapped[Store] = relationship(lazy="joined")


class Item(Timestamps, Base):
    """One physical unit with its own SKU, price, condition and status (a resale store's stock)."""

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

    store: Mapped[Store] = relationship(lazy="joined")


class StockKey(Base):
    """What the ledger counts: exactly one of an article (quantity) or an item (unit)."""

    __tablename__ = "stock_keys"
    __table_args__ = (
        CheckConstraint("(article_id IS NULL) <> (item_id IS NULL)", name="article_xor_item"),
        Index("ix_stock_keys_sku_upper", func.upper(text("sku"))),  # the ledger by SKU
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    sku: Mapped[str] = mapped_column(String(80), index=True)
    article_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("articles.id"), unique=True)
    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("items.id"), unique=True)


class LedgerRow(Base):
    """One stock movement. Append-only: the migration's trigger refuses UPDATE and DELETE."""

    __tablename__ = "stock_ledger"
    __table_args__ = (
        CheckConstraint("quantity_change <> 0", name="change_not_zero"),
        Index("ix_stock_ledger_key_location", "stock_key_id", "location_id", "id"),
        Index("ix_stock_ledger_voucher", "voucher_type", "voucher_id"),
        Index("ix_stock_ledger_location", "location_id", "id"),  # the ledger of one location
        Index("ix_stock_ledger_posted", "posted_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    stock_key_id: Mapped[int] = mapped_column(ForeignKey("stock_keys.id"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    quantity_change: Mapped[Decimal] = mapped_column(QUANTITY)
    quantity_after: Mapped[Decimal] = mapped_column(QUANTITY)
    valuation_rate: Mapped[Decimal] = mapped_column(Numeric(14, 4), default=Decimal(0))
    value_change: Mapped[Decimal] = mapped_column(Numeric(16, 4), default=Decimal(0))
    voucher_type: Mapped[str] = mapped_column(String(20))
    voucher_id: Mapped[str] = mapped_column(String(64))
    voucher_line: Mapped[str | None] = mapped_column(String(64))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("stock_ledger.id"), unique=True)
    actor: Mapped[str | None] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    stock_key: Mapped[StockKey] = relationship(lazy="joined")


class Balance(Base):
    """The quantity on hand per (stock key, location) and its moving-average valuation rate."""

    __tablename__ = "stock_balances"
    __table_args__ = (Index("ix_stock_balances_location", "location_id"),)

    stock_key_id: Mapped[int] = mapped_column(ForeignKey("stock_keys.id"), primary_key=True)
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    valuation_rate: Mapped[Decimal] = mapped_column(Numeric(14, 4), default=Decimal(0))
    is_low: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    stock_key: Mapped[StockKey] = relationship(lazy="joined")
    location: Mapped[Location] = relationship(lazy="joined")


class StockEntry(Timestamps, Base):
    __tablename__ = "stock_entries"
    __table_args__ = (
        CheckConstraint(
            "entry_type IN ('receipt', 'issue', 'transfer', 'adjustment')", name="type_known"
        ),
        CheckConstraint("status IN ('draft', 'posted', 'cancelled')", name="status_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    entry_type: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    reference: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(64))
    posted_by: Mapped[str | None] = mapped_column(String(64))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by: Mapped[str | None] = mapped_column(String(64))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    lines: Mapped[list[StockEntryLine]] = relationship(
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="StockEntryLine.line_no",
        back_populates="entry",
    )


class StockEntryLine(Base):
    __tablename__ = "stock_entry_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    entry_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stock_entries.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int] = mapped_column(Integer)
    stock_key_id: Mapped[int] = mapped_column(ForeignKey("stock_keys.id"))
    sku: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    source_location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    target_location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    serial_numbers: Mapped[list[str]] = mapped_column(JSONB, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")

    entry: Mapped[StockEntry] = relationship(back_populates="lines")


class Serial(Timestamps, Base):
    __tablename__ = "serials"
    __table_args__ = (
        UniqueConstraint("product_key", "serial_number", name="uq_serials_product_serial"),
        CheckConstraint(
            "status IN ('in_stock', 'reserved', 'issued', 'sold', 'returned', 'damaged', 'scrapped')",
            name="status_known",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    serial_number: Mapped[str] = mapped_column(String(120), index=True)
    stock_key_id: Mapped[int] = mapped_column(ForeignKey("stock_keys.id"), index=True)
    # the catalog product when known, else the stock key: "unique per product"
    product_key: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="in_stock")
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    notes: Mapped[str] = mapped_column(Text, default="")

    stock_key: Mapped[StockKey] = relationship(lazy="joined")


class SerialEvent(Base):
    __tablename__ = "serial_history"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    serial_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("serials.id", ondelete="CASCADE"), index=True
    )
    event_type: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    from_location_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    location_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    voucher_type: Mapped[str | None] = mapped_column(String(20))
    voucher_id: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


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


class PriceLog(Base):
    """A price change of an item, variant, product or spare: ours, or catalog's via its events."""

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


class InventoryConfig(Base):
    """The one global configuration row (id is always 1)."""

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


# part 2's tables (vendors, purchase orders, approvals) share this metadata and history
from inventory import procurement_models as _procurement  # noqa: E402,F401
