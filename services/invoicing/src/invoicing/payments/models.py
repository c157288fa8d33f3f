"""Payments against issued invoices. An invoice's ``paid_amount`` is always the sum of its
payments that are not reversed (a void reverses them; they stay, for the record)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY, Timestamps
from invoicing.db import Base


class PaymentMethod(StrEnum):
    cash = "cash"
    card = "card"
    bank_transfer = "bank_transfer"
    other = "other"


_METHODS = ", ".join(f"'{method}'" for method in PaymentMethod)


class Payment(Timestamps, Base):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(f"method IN ({_METHODS})", name="method"),
        Index("ix_payments_invoice", "invoice_id"),
        Index("ix_payments_store_paid_on", "store_id", "paid_on"),
        Index("ix_payments_paid_on", "paid_on"),
        Index(
            "ix_payments_reversed_on",
            "reversed_on",
            postgresql_where=text("reversed_at IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("invoices.id"))
    invoice_number: Mapped[str] = mapped_column(String(60))  # fixed: only issued ones are paid
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str] = mapped_column(String(20))
    paid_on: Mapped[date] = mapped_column(Date)  # the store's calendar day
    reference: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    # Stripe-like: the same key with the same body gives this payment again.
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    request_hash: Mapped[str | None] = mapped_column(String(64))
    reversed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reversed_on: Mapped[date | None] = mapped_column(Date)
    reversal_reason: Mapped[str | None] = mapped_column(Text)
