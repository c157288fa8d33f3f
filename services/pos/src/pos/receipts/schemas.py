"""The receipt view model (seed 002 /api/pos/receipts): one sale as the customer's receipt
shows it. The JSON answer, the 80-column text and the PDF are all built from it."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from common.money import Amount, Percent
from pos.carts.schemas import LINE_EXAMPLE, LineOut

STORE_EXAMPLE: dict[str, Any] = {
    "id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
    "code": "NYC-01",
    "name": "Manhattan",
    "address": "350 5th Ave, New York, NY 10118",
    "phone": "+1 212 555 0100",
    "time_zone": "America/New_York",
}
PAYMENT_EXAMPLE: dict[str, Any] = {"method": "cash", "amount": "112.16", "tendered": "120.00"}
RECEIPT_EXAMPLE: dict[str, Any] = {
    "receipt_number": "NYC-01-2026-000042",
    "sale_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a",
    "status": "completed",
    "store": STORE_EXAMPLE,
    "register_code": "REG-1",
    "cashier_id": "a7f3...",
    "customer_number": "CUS-000042",
    "lines": [LINE_EXAMPLE],
    "currency": "USD",
    "subtotal": "379.00",
    "discount_percent": "0.00",
    "discount_total": "0.00",
    "tax_rate": "0.0875",
    "tax_total": "33.16",
    "total": "412.16",
    "payments": [{"method": "card", "amount": "300.00", "tendered": None}, PAYMENT_EXAMPLE],
    "change_due": "7.84",
    "completed_at": "2026-11-29T15:12:00Z",
    "voided_at": None,
    "voided_by": None,
    "void_reason": None,
}


class ReceiptStore(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": STORE_EXAMPLE})

    id: uuid.UUID
    code: str
    name: str
    address: str
    phone: str
    time_zone: str


class ReceiptPayment(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": PAYMENT_EXAMPLE})

    method: Literal["cash", "card"]
    amount: Amount
    tendered: Amount | None = None


class ReceiptOut(BaseModel):
    """One sale as its receipt shows it (``status`` is completed or voided)."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": RECEIPT_EXAMPLE})

    receipt_number: str
    sale_id: uuid.UUID
    status: Literal["completed", "voided"]
    store: ReceiptStore
    register_code: str
    cashier_id: str
    customer_number: str | None
    lines: list[LineOut]
    currency: str
    subtotal: Amount
    discount_percent: Percent
    discount_total: Amount
    tax_rate: Decimal
    tax_total: Amount
    total: Amount
    payments: list[ReceiptPayment]
    change_due: Amount | None
    completed_at: datetime
    voided_at: datetime | None
    voided_by: str | None
    void_reason: str | None
