"""POS tables. Read-models first (stores, sellable units, articles: what catalog and inventory
told us), then POS's own records: registers, drawers and every cash movement, carts (a
completed cart is a sale), receipt counters, the safe, bank runs, goals and alerts.

Money is ``Numeric(12, 2)``; expected cash is always the sum of a drawer's movements."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
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

RATE = Numeric(7, 4)  # a tax rate as a fraction: 0.0875 is 8.75 %


# -- read-models ------------------------------------------------------------------------------


class Store(Base):
    """catalog's stores as ``catalog.store.*`` told us; ``tax_rate`` is POS's own setting."""

    __tablename__ = "stores"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    tax_rate: Mapped[Decimal] = mapped_column(RATE, default=Decimal("0"))
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SellableItem(Base):
    """inventory's unit items as ``inventory.item.*`` told us, plus who holds them in a cart.

    ``sellable`` follows inventory (on the shelf); POS marks a unit it sold ``sold`` at once,
    without waiting for inventory, and gives it back on a void."""

    __tablename__ = "sellable_items"
    __table_args__ = (Index("ix_sellable_items_sku_upper", func.upper(text("sku")), unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # inventory's item id
    sku: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(140), default="")
    brand: Mapped[str] = mapped_column(String(120), default="")
    condition: Mapped[str] = mapped_column(String(20), default="")
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    location_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(20))
    sellable: Mapped[bool] = mapped_column(Boolean, default=False)
    held_by_cart_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    sold_in_sale_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Article(Base):
    """Quantity-tracked things sold by SKU: catalog's variants and spares (by part number)."""

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_sku_upper", func.upper(text("sku")), unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # catalog's id
    kind: Mapped[str] = mapped_column(String(10))
    sku: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Customer(Base):
    """auth's customers as ``auth.user.*`` told us: a sale names one by customer number."""

    __tablename__ = "customers"
    __table_args__ = (
        Index("uq_customers_number_upper", func.upper(text("customer_number")), unique=True),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # auth's user id
    customer_number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OversoldAlert(Base):
    """``inventory.item.oversold``: a sale inventory could not honour (for the dashboard)."""

    __tablename__ = "oversold_alerts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # the event's id
    store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    sale_id: Mapped[str] = mapped_column(String(64), default="")
    receipt_number: Mapped[str] = mapped_column(String(40), default="")
    sku: Mapped[str] = mapped_column(String(80), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


# -- registers and drawers --------------------------------------------------------------------


class Register(Timestamps, Base):
    __tablename__ = "registers"
    __table_args__ = (UniqueConstraint("store_id", "code", name="uq_registers_store_code"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    store: Mapped[Store] = relationship(lazy="joined")


class Drawer(Base):
    """One cashier's session on a register: opened with a count, closed with a count."""

    __tablename__ = "drawers"
    __table_args__ = (
        Index(
            "uq_drawers_one_open_per_register",
            "register_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
        CheckConstraint("status IN ('open', 'closed')", name="status_known"),
        Index("ix_drawers_store_opened", "store_id", "opened_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    register_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("registers.id"))
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    cashier_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    opening_amount: Mapped[Decimal] = mapped_column(MONEY)
    opening_denominations: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(64))
    counted_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    counted_denominations: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    expected_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    variance: Mapped[Decimal | None] = mapped_column(MONEY)
    handed_off_to_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    notes: Mapped[str] = mapped_column(Text, default="")

    register: Mapped[Register] = relationship(lazy="joined")


class DrawerMovement(Base):
    """Cash in or out of a drawer; the drawer's expected cash is the sum of its rows."""

    __tablename__ = "drawer_movements"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('opening', 'cash_sale', 'change', 'drop', 'supplemental_draw',"
            " 'supplemental_return', 'void_refund')",
            name="kind_known",
        ),
        Index("ix_drawer_movements_drawer", "drawer_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    drawer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drawers.id"))
    kind: Mapped[str] = mapped_column(String(30))
    amount: Mapped[Decimal] = mapped_column(MONEY)  # signed: + into the drawer, - out of it
    sale_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# -- carts and sales --------------------------------------------------------------------------


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
    status: Mapped[str] = mapped_column(String(10), default="open")
    customer_number: Mapped[str | None] = mapped_column(String(40))
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    tax_rate: Mapped[Decimal] = mapped_column(RATE, default=Decimal("0"))
    subtotal: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    discount_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    tax_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    payment_method: Mapped[str | None] = mapped_column(String(10))
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

    lines: Mapped[list[CartLine]] = relationship(
        lazy="selectin", order_by="CartLine.line_no", cascade="all, delete-orphan"
    )
    store: Mapped[Store] = relationship(lazy="joined")


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
    kind: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    article_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    sku: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    discount_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    line_total: Mapped[Decimal] = mapped_column(MONEY)


class ReceiptCounter(Base):
    """The last receipt number per store and year: gapless (a rolled-back sale gives it back)."""

    __tablename__ = "receipt_counters"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


# -- cash management --------------------------------------------------------------------------


class SafeTransaction(Base):
    """The store's supplemental drawer (the safe): every movement with the balance after it."""

    __tablename__ = "safe_transactions"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('drop', 'draw', 'return', 'audit', 'bank_deposit', 'change_pickup')",
            name="kind_known",
        ),
        Index("ix_safe_transactions_store", "store_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(MONEY)  # signed: + into the safe
    balance_after: Mapped[Decimal] = mapped_column(MONEY)
    counted_amount: Mapped[Decimal | None] = mapped_column(MONEY)  # audits
    variance: Mapped[Decimal | None] = mapped_column(MONEY)  # audits: counted - expected
    drawer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    bank_transaction_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BankTransaction(Timestamps, Base):
    """A bank run: a deposit (safe → bank) or a change pickup (bank → safe)."""

    __tablename__ = "bank_transactions"
    __table_args__ = (
        CheckConstraint("kind IN ('deposit', 'change_pickup')", name="kind_known"),
        CheckConstraint("status IN ('pending', 'completed')", name="status_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    reference: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by: Mapped[str | None] = mapped_column(String(64))


class RevenueGoal(Timestamps, Base):
    __tablename__ = "revenue_goals"
    __table_args__ = (
        UniqueConstraint("store_id", "day", name="uq_revenue_goals_store_day"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    day: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    notes: Mapped[str] = mapped_column(Text, default="")
