"""Procurement tables (inventory part 2): vendors, purchase orders with lines, state log,
attachments and receipts, the gapless per-year order counter, and approval flows."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
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
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import MONEY, QUANTITY, Timestamps
from inventory.models import Base


class Vendor(Timestamps, Base):
    __tablename__ = "vendors"
    __table_args__ = (Index("uq_vendors_code", func.upper(text("code")), unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


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
        return sum((line.line_total for line in self.lines), Decimal("0.00"))


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
        """Quantity times unit cost, rounded half up to cents (each line, then the sum)."""
        return (self.quantity * self.unit_cost).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


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


class ApprovalTemplate(Timestamps, Base):
    """Who must sign an object of a type: signer slots (a role or a named user), in order or
    not, how many signatures, and amount thresholds that raise that number."""

    __tablename__ = "approval_templates"
    __table_args__ = (CheckConstraint("min_signatures >= 1", name="needs_a_signature"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    object_type: Mapped[str] = mapped_column(String(40), index=True)
    min_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    signers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    ordered: Mapped[bool] = mapped_column(Boolean, default=False)
    min_signatures: Mapped[int] = mapped_column(Integer, default=1)
    thresholds: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApprovalFlow(Base):
    __tablename__ = "approval_flows"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'cancelled')", name="status_known"
        ),
        Index(
            "uq_approval_flows_one_pending",
            "object_type",
            "object_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_approval_flows_object", "object_type", "object_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    template_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("approval_templates.id", ondelete="SET NULL")
    )
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    requester_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    signers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    ordered: Mapped[bool] = mapped_column(Boolean, default=False)
    required_signatures: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejected_by: Mapped[str | None] = mapped_column(String(64))
    rejection_reason: Mapped[str] = mapped_column(Text, default="")

    signatures: Mapped[list[ApprovalSignature]] = relationship(
        lazy="selectin", order_by="ApprovalSignature.id", back_populates="flow"
    )

    @property
    def active_signatures(self) -> list[ApprovalSignature]:
        return [signature for signature in self.signatures if signature.removed_at is None]


class ApprovalSignature(Base):
    __tablename__ = "approval_signatures"
    __table_args__ = (
        Index(
            "uq_approval_signatures_once",
            "flow_id",
            "user_id",
            unique=True,
            postgresql_where=text("removed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    flow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("approval_flows.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    slot: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by: Mapped[str | None] = mapped_column(String(64))

    flow: Mapped[ApprovalFlow] = relationship(back_populates="signatures")
