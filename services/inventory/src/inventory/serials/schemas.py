"""Serial number bodies (seed 000 /api/serials): unique per product, with status and history."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from inventory.models import Serial, SerialEvent
from inventory.types import Sku


class SerialStatus(StrEnum):
    in_stock = "in_stock"
    reserved = "reserved"
    issued = "issued"
    sold = "sold"
    returned = "returned"
    damaged = "damaged"
    scrapped = "scrapped"


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


class SerialUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"status": "damaged", "notes": "Cracked"}}
    )

    serial_number: str | None = Field(
        default=None, min_length=1, max_length=120, pattern=r"^\S(.*\S)?$"
    )
    status: SerialStatus | None = None
    location_id: uuid.UUID | None = None
    notes: str | None = Field(default=None, max_length=2000)


class SerialEventOut(BaseModel):
    event_type: str
    from_status: str | None
    to_status: str | None
    from_location_id: uuid.UUID | None
    location_id: uuid.UUID | None
    voucher_type: str | None
    voucher_id: str | None
    actor: str | None
    at: datetime

    @classmethod
    def of(cls, event: SerialEvent) -> SerialEventOut:
        return cls.model_validate(event, from_attributes=True)


class SerialOut(BaseModel):
    id: uuid.UUID
    serial_number: str
    sku: str
    status: str
    location_id: uuid.UUID | None
    notes: str
    created_at: datetime
    updated_at: datetime
    history: list[SerialEventOut] | None = Field(default=None, description="On retrieve only")

    @classmethod
    def of(cls, serial: Serial, history: list[SerialEvent] | None = None) -> SerialOut:
        return cls(
            id=serial.id,
            serial_number=serial.serial_number,
            sku=serial.stock_key.sku,
            status=serial.status,
            location_id=serial.location_id,
            notes=serial.notes,
            created_at=serial.created_at,
            updated_at=serial.updated_at,
            history=None if history is None else [SerialEventOut.of(event) for event in history],
        )
