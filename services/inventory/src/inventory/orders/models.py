"""Purchase order tables: orders with lines, the state log, attachments and receipts, and
the gapless per-year order counter."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import QUANTITY, Timestamps
from common.money import ZERO, round_money
from inventory.db import Base
from inventory.orders.states import allowed_actions
from inventory.vendors.models import Vendor


class OrderCounter(Base):
    """The last order number of a year; incremented inside the creating transaction (gapless)."""

    __tablename__ = "purchase_order_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class PurchaseOrder(Timestamps, Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'pending_approval', 'approved', 'paid', 'shipped', "
            "'delivered', 'complete', 'cancelled')",
            name="status_known",
        ),
        Index("ix_purchase_orders_vendor_status", "vendor_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    vendor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vendors.id"))
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    expected_delivery: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    paid_date: Mapped[date | None] = mapped_column(Date)
    shipped_date: Mapped[date | None] = mapped_column(Date)
    delivered_date: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str | None] = mapped_column(String(64))

    vendor: Mapped[Vendor] = relationship(lazy="joined")
    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="PurchaseOrderLine.line_no",
        back_populates="order",
    )

    @property
    def total(self) -> Decimal:
        """The sum of the lines' totals (each line rounded first)."""
        return sum((line.line_total for line in self.lines), ZERO)

    @property
    def allowed_actions(self) -> list[str]:
        return allowed_actions(self.status)

    @property
    def fully_received(self) -> bool:
        return all(line.received_quantity >= line.quantity for line in self.lines)


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_cost >= 0", name="cost_not_negative"),
        CheckConstraint("received_quantity >= 0", name="received_not_negative"),
        CheckConstraint("kind IN ('article', 'unit', 'text')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    sku: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300), default="")
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    received_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")

    @property
    def line_total(self) -> Decimal:
        """Quantity times unit cost, rounded by the money rule (half up to cents)."""
        return round_money(self.quantity * self.unit_cost)


class OrderTransition(Base):
    """Who moved an order from which state to which, when, and by which action."""

    __tablename__ = "purchase_order_transitions"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class OrderAttachment(Base):
    __tablename__ = "purchase_order_attachments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    uploaded_by: Mapped[str | None] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class OrderReceipt(Base):
    """One receive-stock call: the stock entry it posted and what it received per line."""

    __tablename__ = "purchase_order_receipts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True
    )
    stock_entry_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stock_entries.id"))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    received_by: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
