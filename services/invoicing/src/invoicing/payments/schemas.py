"""Request and response bodies of payments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from common.money import Amount
from common.types import CurrencyCode, IsoDate
from common.updates import PartialUpdate
from invoicing.fields import PaymentAmount
from invoicing.payments.models import PaymentMethod

Currency = Annotated[CurrencyCode, Field(description="Must be the invoice's")]

_IN: dict[str, Any] = {
    "invoice_id": "9b2f6c1e-4d3a-4b8e-9f1a-2c3d4e5f6a7b",
    "amount": "50.00",
    "currency": "USD",
    "method": "card",
    "paid_on": "2026-12-02",
    "reference": "Terminal 2, auth 889123",
}
_OUT: dict[str, Any] = {
    **_IN,
    "id": "1c7e5a9d-2b4f-4e6a-8c1d-3f5a7b9c1e2d",
    "invoice_number": "INV-NYC-01-2026-000042",
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "recorded_by": "admin-1",
    "reversed_at": None,
    "reversal_reason": None,
    "created_at": "2026-12-02T10:00:00Z",
    "updated_at": "2026-12-02T10:00:00Z",
}


class PaymentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_IN]})

    invoice_id: uuid.UUID
    amount: PaymentAmount
    currency: Currency | None = None
    method: PaymentMethod
    paid_on: IsoDate | None = Field(default=None, description="Default: today in the store")
    reference: str = Field(default="", max_length=200)


class PaymentUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"amount": "45.00"}]})

    amount: PaymentAmount | None = None
    currency: Currency | None = None
    method: PaymentMethod | None = None
    paid_on: IsoDate | None = None
    reference: str | None = Field(default=None, max_length=200)


class MarkPaid(BaseModel):
    """How the outstanding balance was paid."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"method": "bank_transfer", "reference": "SEPA 2026-1201"}]
        },
    )

    method: PaymentMethod = PaymentMethod.bank_transfer
    paid_on: IsoDate | None = Field(default=None, description="Default: today in the store")
    reference: str = Field(default="", max_length=200)


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_OUT]})

    id: uuid.UUID
    invoice_id: uuid.UUID
    invoice_number: str
    store_id: uuid.UUID
    amount: Amount
    currency: str
    method: PaymentMethod
    paid_on: date
    reference: str
    recorded_by: str
    reversed_at: datetime | None = Field(description="Set when a void reversed it")
    reversal_reason: str | None
    created_at: datetime
    updated_at: datetime


class PaymentFilters(BaseModel):
    invoice: uuid.UUID | None = None
    store: uuid.UUID | None = None
    method: PaymentMethod | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None
    ordering: str | None = None
