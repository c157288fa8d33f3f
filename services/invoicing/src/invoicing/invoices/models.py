"""Invoices and their lines. Amounts are NUMERIC(12,2) written by the rule of ``totals``;
``number`` is given at issue (``numbering``); its ``InvoiceSnapshot`` is the invoice as
issued, which its documents print and nothing ever changes (a table of its own, so the
invoices that lists and reports scan stay narrow)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    and_,
    case,
    cast,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from common.db import MONEY, QUANTITY, Timestamps
from common.money import ZERO
from invoicing.db import Base
from invoicing.invoices.states import OPEN, STORED, InvoiceSource, InvoiceStatus
from invoicing.stores.models import Store

PERCENT = Numeric(5, 2)


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def status_on_read(status: Any, due_date: Any, time_zone: Any) -> ColumnElement[str]:
    """The one overdue rule, in SQL: ``issued``/``partially_paid`` with a due date before
    today in the store's time zone read ``overdue``; every other status reads as stored.
    ``time_zone`` is the store's zone (a join's column or a subquery)."""
    today_at_store = cast(func.timezone(time_zone, func.now()), Date)
    return case(
        (and_(status.in_(OPEN), due_date < today_at_store), InvoiceStatus.overdue.value),
        else_=status,
    )


class Invoice(Timestamps, Base):
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(STORED)})", name="status"),
        CheckConstraint(f"source IN ({_in(tuple(InvoiceSource))})", name="source"),
        UniqueConstraint("store_id", "number_year", "sequence", name="uq_invoices_store_sequence"),
        Index(
            "uq_invoices_source",
            "source",
            "source_id",
            unique=True,
            postgresql_where=text("source_id IS NOT NULL"),
        ),
        Index("ix_invoices_store_date", "store_id", "invoice_date"),
        Index("ix_invoices_date", "invoice_date"),
        Index(
            "ix_invoices_open_due", "due_date", postgresql_where=text(f"status IN ({_in(OPEN)})")
        ),
        Index("ix_invoices_customer", "customer_id"),
        Index("ix_invoices_customer_number", "customer_number"),
        Index("ix_invoices_created", "created_at"),
        # ?search= is a substring match (ILIKE '%…%'): trigram indexes answer it (pg_trgm)
        Index(
            "ix_invoices_customer_name_trgm",
            "customer_name",
            postgresql_using="gin",
            postgresql_ops={"customer_name": "gin_trgm_ops"},
        ),
        Index(
            "ix_invoices_number_trgm",
            "number",
            postgresql_using="gin",
            postgresql_ops={"number": "gin_trgm_ops"},
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"))
    status: Mapped[str] = mapped_column(String(20), default=InvoiceStatus.draft)
    # Given at issue: INV-<store code>-<year>-<sequence>, gapless per store and year.
    number: Mapped[str | None] = mapped_column(String(60), unique=True)
    number_year: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer)
    # The customer: one of auth's (id and number) or a named walk-in (name only).
    customer_id: Mapped[str | None] = mapped_column(String(64))
    customer_number: Mapped[str | None] = mapped_column(String(40))
    customer_name: Mapped[str] = mapped_column(String(300), default="")
    customer_email: Mapped[str] = mapped_column(String(320), default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    invoice_date: Mapped[date | None] = mapped_column(Date)  # the store's day of issue
    due_date: Mapped[date | None] = mapped_column(Date)
    discount_percent: Mapped[Decimal] = mapped_column(PERCENT, default=ZERO)
    subtotal: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    discount_total: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    tax_total: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    total: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    paid_amount: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default=InvoiceSource.manual)
    source_id: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    issued_by: Mapped[str | None] = mapped_column(String(64))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    voided_by: Mapped[str | None] = mapped_column(String(64))
    void_reason: Mapped[str | None] = mapped_column(Text)

    # The status as a reader sees it: an open invoice past its due date (in the store's
    # calendar, today) reads ``overdue``. Computed on read, so it is never stale.
    current_status: Mapped[str] = column_property(
        status_on_read(
            status,
            due_date,
            select(Store.time_zone)
            .where(Store.id == store_id)
            .correlate_except(Store)
            .scalar_subquery(),
        )
    )

    lines: Mapped[list[InvoiceLine]] = relationship(
        lazy="selectin",
        order_by="InvoiceLine.line_no",
        cascade="all, delete-orphan",
        back_populates="invoice",
    )

    @property
    def balance(self) -> Decimal:
        """What is still owed (nothing on a draft or a void invoice)."""
        if self.status in (InvoiceStatus.draft, InvoiceStatus.void):
            return ZERO
        return self.total - self.paid_amount

    @property
    def label(self) -> str:
        """How messages name it: its number, or the draft's id."""
        return self.number or f"draft {self.id}"


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (Index("ix_invoice_lines_sku", "sku"),)

    invoice_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("invoices.id", ondelete="CASCADE"), primary_key=True
    )
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    description: Mapped[str] = mapped_column(String(500))
    sku: Mapped[str | None] = mapped_column(String(100))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    discount_percent: Mapped[Decimal] = mapped_column(PERCENT, default=ZERO)
    tax_rate: Mapped[Decimal] = mapped_column(PERCENT, default=ZERO)  # percent: 8.75
    gross: Mapped[Decimal] = mapped_column(MONEY)
    discount_amount: Mapped[Decimal] = mapped_column(MONEY)
    net: Mapped[Decimal] = mapped_column(MONEY)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class InvoiceSnapshot(Base):
    __tablename__ = "invoice_snapshots"

    invoice_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("invoices.id", ondelete="CASCADE"), primary_key=True
    )
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
