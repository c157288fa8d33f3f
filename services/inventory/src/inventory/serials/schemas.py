"""Serial number bodies (seed 000 /api/serials): unique per product, with status and history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import AliasPath, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from common.updates import Nullable, PartialUpdate
from inventory.serials.models import SerialStatus
from inventory.types import Sku


class SerialIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "serial_number": "F17GK1ABC123",
                "sku": "IP13-128-MID",
                "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
                "notes": "Registered at intake",
            }
        },
    )

    serial_number: str = Field(min_length=1, max_length=120, pattern=r"^\S(.*\S)?$")
    sku: Sku = Field(description="The unit item or catalog variant/spare this serial belongs to")
    status: SerialStatus = SerialStatus.in_stock
    location_id: uuid.UUID | None = None
    notes: str = Field(default="", max_length=2000)


class SerialUpdate(PartialUpdate):
    """``location_id: null``: the serial is at no location any more."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"status": "damaged", "notes": "Cracked"}}
    )

    serial_number: str | None = Field(
        default=None, min_length=1, max_length=120, pattern=r"^\S(.*\S)?$"
    )
    status: SerialStatus | None = None
    location_id: Nullable[uuid.UUID] = None
    notes: str | None = Field(default=None, max_length=2000)


SERIAL_EVENT_EXAMPLE: JsonDict = {
    "event_type": "received",
    "from_status": None,
    "to_status": "in_stock",
    "from_location_id": None,
    "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
    "voucher_type": "stock_entry",
    "voucher_id": "9e4b7a12-3c5d-4f8e-a1b2-6d7c8e9f0a42",
    "actor": "admin-1",
    "at": "2026-11-22T09:40:00Z",
}


class SerialEventOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"example": SERIAL_EVENT_EXAMPLE}
    )

    event_type: str
    from_status: str | None
    to_status: str | None
    from_location_id: uuid.UUID | None
    location_id: uuid.UUID | None
    voucher_type: str | None
    voucher_id: str | None
    actor: str | None
    at: datetime


class SerialOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "c41d8e2a-6b3f-4a9e-9d10-7e2f5b8a3c64",
                "serial_number": "F17GK1ABC123",
                "sku": "IP13-128-MID",
                "status": "in_stock",
                "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
                "notes": "Registered at intake",
                "created_at": "2026-11-22T09:40:00Z",
                "updated_at": "2026-11-22T09:40:00Z",
                "history": [SERIAL_EVENT_EXAMPLE],
            }
        },
    )

    id: uuid.UUID
    serial_number: str
    sku: str = Field(validation_alias=AliasPath("stock_key", "sku"))
    status: str
    location_id: uuid.UUID | None
    notes: str
    created_at: datetime
    updated_at: datetime
    history: list[SerialEventOut] | None = Field(default=None, description="On retrieve only")

    @classmethod
    def with_history(cls, found: tuple[Any, Sequence[Any]]) -> SerialOut:
        """A serial and its history rows, as a service returns them."""
        serial, history = found
        out = cls.model_validate(serial)
        out.history = [SerialEventOut.model_validate(event) for event in history]
        return out
