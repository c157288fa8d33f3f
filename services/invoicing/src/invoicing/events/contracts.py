"""What invoicing publishes (``PUBLISHED``), and its own trimmed copies of what it consumes.

Published contracts forbid unknown fields; consumed copies hold only the fields this
service reads and ignore the rest (docs/new-service.md "Events: contracts and docs")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from common.events.contracts import Consumed, Published
from common.money import Amount, Percent, Quantity

Source = Literal["manual", "pos_sale", "booking"]
Status = Literal["draft", "issued", "partially_paid", "paid", "overdue", "void"]
Method = Literal["cash", "card", "bank_transfer", "other"]


class InvoiceIssued(Published, subjects=("invoicing.invoice.issued",)):
    """An invoice was issued: it has its number and is owed from now on."""

    invoice_id: uuid.UUID
    number: str = Field(description="INV-<store code>-<year>-<sequence>, gapless per store/year")
    store_id: uuid.UUID
    customer_id: str | None = Field(description="auth's user id; null for a walk-in")
    customer_number: str | None
    customer_name: str
    currency: str
    total: Amount
    tax_total: Amount
    invoice_date: date = Field(description="the store's calendar day of issue")
    due_date: date
    status: Status = Field(description="issued, or paid for a sale paid at the register")
    source: Source
    source_id: str | None = Field(description="the sale or booking invoiced; null if manual")


class ReversedPayment(Published):
    payment_id: uuid.UUID
    amount: Amount
    method: Method


class InvoiceVoided(Published, subjects=("invoicing.invoice.voided",)):
    """An invoice was voided with a reason; its number stays used and its payments are
    reversed (listed here)."""

    invoice_id: uuid.UUID
    number: str
    store_id: uuid.UUID
    currency: str
    total: Amount
    reason: str
    source: Source
    source_id: str | None
    reversed_payments: list[ReversedPayment]


class PaymentChanged(
    Published,
    subjects=(
        "invoicing.payment.recorded",
        "invoicing.payment.updated",
        "invoicing.payment.deleted",
    ),
):
    """A payment was recorded, changed or deleted; the invoice's balance and status after it."""

    payment_id: uuid.UUID
    invoice_id: uuid.UUID
    invoice_number: str
    store_id: uuid.UUID
    source: Source = Field(description="the invoice's source: manual, pos_sale or booking")
    source_id: str | None = Field(description="the invoice's sale or booking id")
    amount: Amount
    currency: str
    method: Method
    paid_on: date
    balance_after: Amount = Field(description="what the invoice still owes after this change")
    status_after: Status = Field(description="the invoice's status after this change")
    changed: list[str] = Field(description="fields changed (updated only; else empty)")


class InvoiceChanged(
    Published,
    subjects=(
        "invoicing.invoice.drafted",
        "invoicing.invoice.updated",
        "invoicing.invoice.deleted",
    ),
):
    """A draft written, an invoice changed (a draft freely; an issued one only its notes and
    due date; ``changed`` names the fields sent), or a draft deleted (an issued invoice is
    voided instead: ``invoicing.invoice.voided``)."""

    invoice_id: uuid.UUID
    number: str | None = Field(description="null while a draft")
    store_id: uuid.UUID
    status: Status
    customer_id: str | None = Field(description="auth's user id; null for a walk-in")
    customer_name: str
    currency: str
    total: Amount
    due_date: date | None
    source: Source
    source_id: str | None
    changed: list[str] = Field(description="The fields an update sent; empty otherwise")


PUBLISHED: list[type[Published]] = [InvoiceIssued, InvoiceVoided, PaymentChanged, InvoiceChanged]


# -- consumed -------------------------------------------------------------------------------


class StoreChanged(Consumed):
    """catalog.store.created|updated|deleted, as far as invoicing reads it."""

    store_id: uuid.UUID
    code: str
    name: str
    time_zone: str = "UTC"
    is_active: bool = True
    deleted: bool = False


class UserChanged(Consumed):
    """auth.user.*, as far as invoicing reads it: customers are users with a customer number."""

    user_id: str
    customer_number: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    is_active: bool = True


class SaleLine(Consumed):
    sku: str | None = None
    name: str
    quantity: Quantity
    unit_price: Amount
    discount_percent: Percent = Decimal("0.00")


class SaleTender(Consumed):
    method: str
    amount: Amount


class SaleCompleted(Consumed):
    """pos.sale.completed, as far as invoicing reads it."""

    sale_id: uuid.UUID
    receipt_number: str
    store_id: uuid.UUID
    customer_number: str | None = None
    currency: str = "USD"
    lines: list[SaleLine]
    discount_percent: Percent = Decimal("0.00")
    tax_rate: Decimal = Field(ge=0, lt=1, description='a fraction: "0.0875" is 8.75 %')
    total: Amount
    payments: list[SaleTender]
    completed_at: datetime


class SaleVoided(Consumed):
    """pos.sale.voided, as far as invoicing reads it."""

    sale_id: uuid.UUID
    reason: str | None = None


class BookingLine(Consumed):
    description: str
    quantity: Quantity
    unit_price: Amount


class BookingCompleted(Consumed):
    """bookings.booking.completed, as far as invoicing reads it: a booking with a quote was
    completed; its lines add up to ``quoted_amount``."""

    booking_id: uuid.UUID
    store_id: uuid.UUID
    customer_id: str | None = None
    customer_name: str
    customer_email: str = ""
    currency: str = "USD"
    quoted_amount: Amount
    lines: list[BookingLine]
    completed_at: datetime
