"""Request and response bodies of invoices."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from common.money import Amount, Percent, Price, Quantity
from common.types import CurrencyCode, Flag, IsoDate
from common.updates import Nullable, PartialUpdate
from invoicing.fields import LineQuantity, Rate
from invoicing.invoices.states import InvoiceSource, InvoiceStatus

Currency = Annotated[CurrencyCode, Field(description="ISO 4217 code, e.g. USD")]

STORE = "0000000a-0000-4000-8000-00000000000a"
_LINE: dict[str, Any] = {
    "description": "iPhone 13 screen replacement",
    "sku": "IP13-SCR-OLED",
    "quantity": "1",
    "unit_price": "129.00",
    "discount_percent": "10.00",
    "tax_rate": "8.75",
}
_LINE_OUT: dict[str, Any] = {
    **_LINE,
    "line_no": 1,
    "quantity": "1.000",
    "gross": "129.00",
    "discount_amount": "12.90",
    "net": "116.10",
}
_IN: dict[str, Any] = {
    "store_id": STORE,
    "customer_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "currency": "USD",
    "lines": [_LINE],
    "discount_percent": "0.00",
    "due_date": "2026-12-15",
    "notes": "Screen under warranty for 90 days",
}
_SUMMARY: dict[str, Any] = {
    "id": "9b2f6c1e-4d3a-4b8e-9f1a-2c3d4e5f6a7b",
    "number": "INV-NYC-01-2026-000042",
    "store_id": STORE,
    "status": "partially_paid",
    "customer_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "customer_number": "CUS-000042",
    "customer_name": "Zoë Łukasiewicz",
    "currency": "USD",
    "invoice_date": "2026-12-01",
    "due_date": "2026-12-15",
    "total": "126.26",
    "paid_amount": "50.00",
    "balance": "76.26",
    "source": "manual",
    "source_id": None,
    "created_at": "2026-12-01T09:30:00Z",
}
_OUT: dict[str, Any] = {
    **_SUMMARY,
    "customer_email": "zoe@example.com",
    "lines": [_LINE_OUT],
    "discount_percent": "0.00",
    "subtotal": "116.10",
    "discount_total": "0.00",
    "tax_total": "10.16",
    "notes": "Screen under warranty for 90 days",
    "issued_at": "2026-12-01T09:31:00Z",
    "voided_at": None,
    "void_reason": None,
    "updated_at": "2026-12-01T10:00:00Z",
}


class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_LINE]})

    description: str = Field(min_length=1, max_length=500)
    sku: str | None = Field(default=None, max_length=100)
    quantity: LineQuantity
    unit_price: Price
    discount_percent: Rate = Decimal("0.00")
    tax_rate: Rate = Field(default=Decimal("0.00"), description="Percent: 8.75 is 8.75 %")


class InvoiceIn(BaseModel):
    """A new invoice: a draft, or issued at once with ``issue: true``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_IN]})

    store_id: uuid.UUID
    customer_id: str | None = Field(
        default=None, max_length=64, description="One of auth's customers (their user id)"
    )
    customer_name: str | None = Field(
        default=None, min_length=1, max_length=300, description="A walk-in customer's name"
    )
    customer_email: str | None = Field(default=None, max_length=320)
    currency: Currency = "USD"
    lines: list[LineIn] = Field(default_factory=list, max_length=500)
    discount_percent: Rate = Decimal("0.00")
    due_date: IsoDate | None = Field(default=None, description="Default: the invoice date + terms")
    notes: str = Field(default="", max_length=5000)
    source: Literal[InvoiceSource.manual, InvoiceSource.booking] = InvoiceSource.manual
    source_id: str | None = Field(
        default=None, min_length=1, max_length=64, description="The booking's id (booking only)"
    )
    issue: Flag = Field(default=False, description="Issue it now (takes its number)")

    @model_validator(mode="after")
    def _one_customer_and_a_source_id_for_a_booking(self) -> InvoiceIn:
        if (self.customer_id is None) == (self.customer_name is None):
            raise ValueError("customer_id or customer_name: give exactly one")
        if self.source == InvoiceSource.booking and self.source_id is None:
            raise ValueError("source_id: a booking invoice names its booking")
        if self.source == InvoiceSource.manual and self.source_id is not None:
            raise ValueError("source_id: a manual invoice has no source id")
        return self


class InvoiceUpdate(PartialUpdate):
    """A draft may change anything; an issued invoice only its notes and due date."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"notes": "Call before delivery"}]})

    customer_id: Nullable[str] = Field(default=None, max_length=64)
    customer_name: Nullable[str] = Field(default=None, min_length=1, max_length=300)
    customer_email: str | None = Field(default=None, max_length=320)
    currency: Currency | None = None
    lines: list[LineIn] | None = Field(default=None, max_length=500)
    discount_percent: Rate | None = None
    due_date: Nullable[IsoDate] = None
    notes: str | None = Field(default=None, max_length=5000)


class LineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_LINE_OUT]})

    line_no: int
    description: str
    sku: str | None
    quantity: Quantity
    unit_price: Amount
    discount_percent: Percent
    tax_rate: Percent
    gross: Amount
    discount_amount: Amount
    net: Amount


class InvoiceSummary(BaseModel):
    """An invoice in a list (its lines are on the invoice itself)."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_SUMMARY]})

    id: uuid.UUID
    number: str | None
    store_id: uuid.UUID
    status: InvoiceStatus = Field(
        validation_alias="current_status",
        description="overdue when issued or partially paid and past its due date",
    )
    customer_id: str | None
    customer_number: str | None
    customer_name: str
    currency: str
    invoice_date: date | None
    due_date: date | None
    total: Amount
    paid_amount: Amount
    balance: Amount
    source: InvoiceSource
    source_id: str | None
    created_at: datetime


class InvoiceOut(InvoiceSummary):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_OUT]})

    customer_email: str
    lines: list[LineOut]
    discount_percent: Percent
    subtotal: Amount
    discount_total: Amount
    tax_total: Amount
    notes: str
    issued_at: datetime | None
    voided_at: datetime | None
    void_reason: str | None
    updated_at: datetime


class ProposedNumber(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "store_id": STORE,
                    "invoice_date": "2026-12-01",
                    "year": 2026,
                    "sequence": 43,
                    "number": "INV-NYC-01-2026-000043",
                }
            ]
        }
    )

    store_id: uuid.UUID
    invoice_date: date
    year: int
    sequence: int
    number: str = Field(description="What the next issue in this store and year would take")


class InvoiceFilters(BaseModel):
    """The list's filters (query parameters)."""

    status: InvoiceStatus | None = None
    customer: str | None = None
    store: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None
    ordering: str | None = None
