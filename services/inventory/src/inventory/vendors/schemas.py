"""Vendor bodies (seed 002 /api/inventory/vendors)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from pydantic.config import JsonDict

from common.updates import Nullable, PartialUpdate
from inventory.types import Code, Currency, StrictBool

EXAMPLE: JsonDict = {
    "code": "PARTS-CO",
    "name": "Parts & Co. Wholesale",
    "contact_name": "Dana Reyes",
    "email": "orders@partsco.example",
    "phone": "+1 212 555 0142",
    "address": "88 Canal St, New York, NY",
    "currency": "USD",
    "notes": "Net 30",
}


class VendorIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})

    code: Code
    name: str = Field(min_length=1, max_length=200)
    contact_name: str = Field(default="", max_length=200)
    email: EmailStr | None = None
    phone: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=2000)
    currency: Currency = "USD"
    notes: str = Field(default="", max_length=5000)
    is_active: StrictBool = True


class VendorUpdate(PartialUpdate):
    """``email: null`` clears the e-mail address."""

    model_config = ConfigDict(json_schema_extra={"example": {"phone": "+1 212 555 0199"}})

    code: Code | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    contact_name: str | None = Field(default=None, max_length=200)
    email: Nullable[EmailStr] = None
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=2000)
    currency: Currency | None = None
    notes: str | None = Field(default=None, max_length=5000)
    is_active: StrictBool | None = None


class VendorOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "6a1f0c2d-3b4e-4f5a-8b9c-0d1e2f3a4b5c",
                **EXAMPLE,
                "is_active": True,
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )

    id: uuid.UUID
    code: str
    name: str
    contact_name: str
    email: str
    phone: str
    address: str
    currency: str
    notes: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
