"""Purchase order bodies (seed 002 /api/inventory/orders, seed 004 depo_procurement)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import AliasPath, BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from common.money import Amount, Quantity
from common.updates import Nullable, PartialUpdate
from inventory.types import Cost, Currency, Day, Sku, StrictBool, StrictInt, Units

LINE_EXAMPLE: JsonDict = {"sku": "IP13-SCR-OLED", "quantity": "20", "unit_cost": "42.50"}
EXAMPLE: JsonDict = {
    "vendor_id": "6a1f0c2d-3b4e-4f5a-8b9c-0d1e2f3a4b5c",
    "store_id": "7d0c1c9e-3f7e-4c49-9a55-2f7f6f6f1a01",
    "number": None,
    "currency": "USD",
    "expected_delivery": "2026-12-01",
    "notes": "Quote Q-5512",
    "lines": [
        LINE_EXAMPLE,
        {
            "description": "Used iPhone 12 lot, grade B",
            "unit_tracked": True,
            "quantity": "5",
            "unit_cost": "150.00",
        },
        {"description": "Freight", "quantity": "1", "unit_cost": "35.00"},
    ],
}


class LineIn(BaseModel):
    """A catalog article by ``sku``, units to be created on receipt (``unit_tracked``), or free text."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": LINE_EXAMPLE})

    sku: Sku | None = Field(default=None, description="A catalog variant SKU or spare part number")
    description: str = Field(default="", max_length=300)
    unit_tracked: StrictBool = Field(
        default=False, description="Each unit received becomes an item (intake) with its own SKU"
    )
    quantity: Units
    unit_cost: Cost

    @model_validator(mode="after")
    def what_it_is(self) -> LineIn:
        if self.sku is not None and self.unit_tracked:
            raise ValueError("a line is either a catalog SKU or unit-tracked, not both")
        if self.sku is None and not self.description.strip():
            raise ValueError("a line without a SKU needs a description")
        if self.unit_tracked and self.quantity != self.quantity.to_integral():
            raise ValueError("a unit-tracked line needs a whole quantity")
        return self


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})

    vendor_id: uuid.UUID
    store_id: uuid.UUID = Field(description="The store that orders and receives")
    number: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_/-]*$",
        description="Generated (PO-2026-000123, gapless per year) when omitted",
    )
    currency: Currency = "USD"
    expected_delivery: Day | None = None
    notes: str = Field(default="", max_length=5000)
    lines: list[LineIn] = Field(default_factory=list, max_length=500)


class OrderUpdate(PartialUpdate):
    """Vendor, currency and lines change while the order is a draft; notes and expected
    delivery until it is complete or cancelled (``expected_delivery: null`` clears it)."""

    model_config = ConfigDict(json_schema_extra={"example": {"expected_delivery": "2026-12-03"}})

    vendor_id: uuid.UUID | None = None
    currency: Currency | None = None
    expected_delivery: Nullable[Day] = None
    notes: str | None = Field(default=None, max_length=5000)
    lines: list[LineIn] | None = Field(default=None, max_length=500)


class StateIn(BaseModel):
    """Seed 004 ``PATCH …/state``: the wanted status, reached by the one action that leads there."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"status": "paid"}})

    status: str = Field(min_length=1, max_length=20)
    note: str = Field(default="", max_length=2000)


class ActionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"date": "2026-11-25", "expected_delivery": "2026-11-28", "note": ""}
        },
    )

    date: Day | None = Field(
        default=None, description="paid/shipped/delivered date; today if omitted"
    )
    expected_delivery: Day | None = None
    note: str = Field(default="", max_length=2000)


class ReceiveLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_id: StrictInt = Field(ge=1, lt=2**63)
    quantity: Units
    location_id: uuid.UUID
    serial_numbers: list[str] = Field(default_factory=list, max_length=1000)
    unit_skus: list[Sku] = Field(
        default_factory=list, max_length=1000, description="SKUs for the units (generated if empty)"
    )
    batch_code: str = Field(default="", max_length=80)


class ReceiveIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "lines": [
                    {
                        "line_id": 1,
                        "quantity": "12",
                        "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
                        "serial_numbers": [],
                        "unit_skus": [],
                        "batch_code": "LOT-2611",
                    }
                ]
            }
        },
    )

    lines: list[ReceiveLine] = Field(min_length=1, max_length=500)


class LineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    line_no: int
    kind: str
    sku: str | None
    description: str
    quantity: Quantity
    unit_cost: Decimal
    received_quantity: Quantity
    line_total: Amount


ORDER_OUT_EXAMPLE: JsonDict = {
    "id": "5b7c0f2e-1d3a-4c5b-8e9f-0a1b2c3d4e5f",
    "number": "PO-2026-000123",
    "vendor_id": "6a1f0c2d-3b4e-4f5a-8b9c-0d1e2f3a4b5c",
    "vendor_name": "Parts & Co. Wholesale",
    "store_id": "7d0c1c9e-3f7e-4c49-9a55-2f7f6f6f1a01",
    "status": "approved",
    "currency": "USD",
    "expected_delivery": "2026-12-01",
    "notes": "Quote Q-5512",
    "lines": [
        {
            "id": 1,
            "line_no": 1,
            "kind": "article",
            "sku": "IP13-SCR-OLED",
            "description": "",
            "quantity": "20.000",
            "unit_cost": "42.5000",
            "received_quantity": "0.000",
            "line_total": "850.00",
        }
    ],
    "total": "850.00",
    "paid_date": None,
    "shipped_date": None,
    "delivered_date": None,
    "completed_at": None,
    "created_by": "advisor-7",
    "allowed_actions": ["mark-paid", "mark-shipped", "deliver", "cancel"],
    "created_at": "2026-11-22T09:00:00Z",
    "updated_at": "2026-11-22T09:10:00Z",
}


class OrderOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"example": ORDER_OUT_EXAMPLE}
    )

    id: uuid.UUID
    number: str
    vendor_id: uuid.UUID
    vendor_name: str = Field(validation_alias=AliasPath("vendor", "name"))
    store_id: uuid.UUID
    status: str
    currency: str
    expected_delivery: date | None
    notes: str
    lines: list[LineOut]
    total: Amount
    paid_date: date | None
    shipped_date: date | None
    delivered_date: date | None
    completed_at: datetime | None
    created_by: str | None
    allowed_actions: list[str] = Field(description="What may be done next, by the order's state")
    created_at: datetime
    updated_at: datetime


class TransitionOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "action": "mark-paid",
                "from_status": "approved",
                "to_status": "paid",
                "actor": "advisor-7",
                "note": "",
                "at": "2026-11-23T10:00:00Z",
            }
        },
    )

    action: str
    from_status: str | None
    to_status: str
    actor: str | None
    note: str
    at: datetime


class ReceiptOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
                "stock_entry_id": "a426cab9-f4e2-4ffd-bbff-4e77d6f974ee",
                "lines": [
                    {
                        "line_id": 1,
                        "sku": "IP13-SCR-OLED",
                        "quantity": "12",
                        "location_id": "0f3a...",
                        "batch_code": "LOT-2611",
                        "unit_skus": [],
                    }
                ],
                "received_by": "advisor-7",
                "received_at": "2026-11-28T15:00:00Z",
            }
        },
    )

    id: uuid.UUID
    stock_entry_id: uuid.UUID | None
    lines: list[dict[str, Any]]
    received_by: str | None
    received_at: datetime


class AttachmentOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
                "filename": "quote-Q-5512.pdf",
                "content_type": "application/pdf",
                "size": 48213,
                "uploaded_by": "advisor-7",
                "uploaded_at": "2026-11-22T09:02:00Z",
            }
        },
    )

    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    uploaded_by: str | None
    uploaded_at: datetime
