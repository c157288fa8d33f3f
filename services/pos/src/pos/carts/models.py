"""Carts and sales: a cart on an open drawer, its lines, and the receipt counters that number
a completed cart (a sale) gaplessly per store and year."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY, QUANTITY, Timestamps
from pos.db import PERCENT, RATE, Base, text_enum


class CartStatus(StrEnum):
    open = "open"
    completed = "completed"  # a sale
    voided = "voided"  # a sale taken back


class LineKind(StrEnum):
    unit = "unit"  # one of inventory's unit items (quantity 1)
    quantity = "quantity"  # a catalog article, sold by quantity


class PaymentMethod(StrEnum):
    cash = "cash"
    card = "card"
    cash_and_card = "split"  # a card part, the rest in cash


class Cart(Timestamps, Base):
    """A cart on an open drawer; completed, it is the sale (with its receipt number)."""

    __tablename__ = "carts"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'completed', 'voided')", name="status_known"),
        UniqueConstraint("receipt_number", name="uq_carts_receipt_number"),
        UniqueConstraint("idempotency_key", name="uq_carts_idempotency_key"),
        Index("ix_carts_store_completed", "store_id", "completed_at"),
        Index("ix_carts_drawer_status", "drawer_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    drawer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drawers.id"))
    register_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("registers.id"))
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    cashier_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[CartStatus] = mapped_column(text_enum(CartStatus, 10), default=CartStatus.open)
    customer_number: Mapped[str | None] = mapped_column(String(40))
    discount_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal("0"))
    tax_rate: Mapped[Decimal] = mapped_column(RATE, default=Decimal("0"))
    subtotal: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    discount_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    tax_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    payment_method: Mapped[PaymentMethod | None] = mapped_column(text_enum(PaymentMethod, 10))
    cash_tendered: Mapped[Decimal | None] = mapped_column(MONEY)
    card_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    cash_amount: Mapped[Decimal | None] = mapped_column(MONEY)  # the part of the total in cash
    change_due: Mapped[Decimal | None] = mapped_column(MONEY)
    receipt_number: Mapped[str | None] = mapped_column(String(40))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    voided_by: Mapped[str | None] = mapped_column(String(64))
    void_reason: Mapped[str | None] = mapped_column(Text)


class CartLine(Base):
    __tablename__ = "cart_lines"
    __table_args__ = (
        UniqueConstraint("cart_id", "line_no", name="uq_cart_lines_cart_line_no"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("kind IN ('unit', 'quantity')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    cart_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    kind: Mapped[LineKind] = mapped_column(text_enum(LineKind, 10))
    item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    article_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    sku: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    discount_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal("0"))
    discount_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    line_total: Mapped[Decimal] = mapped_column(MONEY)


class ReceiptCounter(Base):
    """The last receipt number per store and year: gapless (a rolled-back sale gives it back)."""

    __tablename__ = "receipt_counters"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
