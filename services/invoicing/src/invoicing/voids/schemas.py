"""Request and response bodies of voids and deletions."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from common.money import Amount
from invoicing.invoices.states import InvoiceStatus
from invoicing.payments.models import PaymentMethod

INVOICE = "9b2f6c1e-4d3a-4b8e-9f1a-2c3d4e5f6a7b"
_REVERSED: dict[str, Any] = {
    "payment_id": "1c7e5a9d-2b4f-4e6a-8c1d-3f5a7b9c1e2d",
    "amount": "50.00",
    "method": "card",
    "paid_on": "2026-12-02",
}


class Removal(StrEnum):
    deleted = "deleted"  # a draft: gone, it never had a number
    voided = "voided"  # issued: kept with its number, marked void, payments reversed
    refused = "refused"  # void already


class VoidIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Issued to the wrong customer"}]}
    )

    reason: str = Field(min_length=1, max_length=2000, description="Kept on the void invoice")


class ForceDeleteIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "Duplicate of INV-NYC-01-2026-000041"}]},
    )

    reason: str | None = Field(
        default=None, min_length=1, max_length=2000, description="Required unless it is a draft"
    )


class BulkDeleteIn(ForceDeleteIn):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"ids": [INVOICE], "reason": "Test invoices"}]},
    )

    ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


class ReversedPaymentOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_REVERSED]})

    payment_id: uuid.UUID
    amount: Amount
    method: PaymentMethod
    paid_on: date


_PREVIEW: dict[str, Any] = {
    "invoice_id": INVOICE,
    "number": "INV-NYC-01-2026-000042",
    "status": "partially_paid",
    "action": "voided",
    "reason_required": True,
    "explanation": "Issued invoices are never deleted: it will be voided, its number stays "
    "used and its payments are reversed.",
    "payments": [_REVERSED],
    "payments_total": "50.00",
    "lines": 1,
    "documents": [],
}


class DeletePreview(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_PREVIEW]})

    invoice_id: uuid.UUID
    number: str | None
    status: InvoiceStatus
    action: Removal = Field(description="What force-delete would do")
    reason_required: bool
    explanation: str
    payments: list[ReversedPaymentOut] = Field(description="Payments it would reverse")
    payments_total: Amount
    lines: int
    documents: list[str] = Field(
        description="Stored documents it would remove: none (PDF/DOCX render on request)"
    )


class Removed(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "invoice_id": INVOICE,
                    "number": "INV-NYC-01-2026-000042",
                    "action": "voided",
                    "reversed_payments": [_REVERSED],
                }
            ]
        }
    )

    invoice_id: uuid.UUID
    number: str | None
    action: Removal
    reversed_payments: list[ReversedPaymentOut]


class BulkRemoved(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {
                            "invoice_id": INVOICE,
                            "number": None,
                            "action": "deleted",
                            "reversed_payments": [],
                        }
                    ]
                }
            ]
        }
    )

    results: list[Removed]
