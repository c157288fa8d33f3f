"""Stock entry bodies: a receipt, issue, transfer or adjustment (count) with lines."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from common.money import Quantity
from common.updates import PartialUpdate
from inventory.entries.models import EntryType
from inventory.types import Cost, Count, Sku

EXAMPLE: JsonDict = {
    "entry_type": "receipt",
    "reference": "Delivery note 8812",
    "notes": "Morning delivery",
    "lines": [
        {
            "sku": "IP13-SCR-OLED",
            "quantity": "10",
            "target_location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
            "unit_cost": "42.50",
            "serial_numbers": [],
        }
    ],
}


class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku
    quantity: Count = Field(
        description="Moved quantity (> 0); for an adjustment, the counted quantity (>= 0)"
    )
    source_location_id: uuid.UUID | None = Field(
        default=None, description="issue and transfer: where the stock leaves"
    )
    target_location_id: uuid.UUID | None = Field(
        default=None,
        description="receipt and transfer: where it arrives; adjustment: where counted",
    )
    unit_cost: Cost | None = Field(default=None, description="receipt: valuation (moving average)")
    serial_numbers: list[str] = Field(default_factory=list, max_length=1000)
    notes: str = Field(default="", max_length=1000)


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})

    entry_type: EntryType
    reference: str = Field(default="", max_length=120)
    notes: str = Field(default="", max_length=5000)
    lines: list[LineIn] = Field(min_length=1, max_length=500)


class EntryUpdate(PartialUpdate):
    """A draft's fields; ``lines``, when sent, replace all lines."""

    model_config = ConfigDict(json_schema_extra={"example": {"reference": "Delivery note 8813"}})

    entry_type: EntryType | None = None
    reference: str | None = Field(default=None, max_length=120)
    notes: str | None = Field(default=None, max_length=5000)
    lines: list[LineIn] | None = Field(default=None, min_length=1, max_length=500)


LINE_OUT_EXAMPLE: JsonDict = {
    "line_no": 1,
    "sku": "IP13-SCR-OLED",
    "quantity": "10.000",
    "source_location_id": None,
    "target_location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
    "unit_cost": "42.5000",
    "serial_numbers": [],
    "notes": "",
}


class LineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": LINE_OUT_EXAMPLE})

    line_no: int
    sku: str
    quantity: Quantity
    source_location_id: uuid.UUID | None
    target_location_id: uuid.UUID | None
    unit_cost: Decimal | None
    serial_numbers: list[str]
    notes: str


class EntryOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "9e4b7a12-3c5d-4f8e-a1b2-6d7c8e9f0a42",
                "number": "SE-000042",
                "entry_type": "receipt",
                "status": "posted",
                "reference": "Delivery note 8812",
                "notes": "Morning delivery",
                "lines": [LINE_OUT_EXAMPLE],
                "created_by": "admin-1",
                "posted_by": "admin-1",
                "posted_at": "2026-11-22T09:40:00Z",
                "cancelled_by": None,
                "cancelled_at": None,
                "created_at": "2026-11-22T09:05:00Z",
                "updated_at": "2026-11-22T09:40:00Z",
            }
        },
    )

    id: uuid.UUID
    number: str
    entry_type: str
    status: str
    reference: str
    notes: str
    lines: list[LineOut]
    created_by: str | None
    posted_by: str | None
    posted_at: datetime | None
    cancelled_by: str | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
