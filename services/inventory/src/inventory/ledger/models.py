"""The stock ledger's tables: what it counts (``stock_keys``: an article or a unit item),
the append-only ``stock_ledger`` (a trigger refuses UPDATE and DELETE) and
``stock_balances`` (per stock key and location, always the ledger's sum)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import QUANTITY
from inventory.db import Base
from inventory.locations.models import Location


class Voucher(StrEnum):
    """What a ledger row was posted for."""

    stock_entry = "stock_entry"
    stock_entry_cancel = "stock_entry_cancel"
    item = "item"  # a unit entering stock
    item_move = "item_move"
    item_status = "item_status"  # lost / found
    pos_sale = "pos_sale"
    pos_void = "pos_void"


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

    @property
    def kind(self) -> str:
        """``unit`` (one of a kind, at most one on hand) or ``quantity``."""
        return "unit" if self.item_id is not None else "quantity"


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
