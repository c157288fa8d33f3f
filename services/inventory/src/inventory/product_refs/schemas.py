"""Vendor product reference bodies (seed 002 /api/inventory/product-refs)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from common.updates import Nullable, PartialUpdate
from inventory.money import UnitCost

# The vendor's item number: no blank ends (matched as the vendor writes it).
ItemNumber = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^\S(.*\S)?$")]

EXAMPLE: JsonDict = {
    "vendor_id": "6a1f0c2d-3b4e-4f5a-8b9c-0d1e2f3a4b5c",
    "product_id": "2b1f6c1e-5d0a-4c4e-9d55-8d9f6f1c2a10",
    "vendor_item_number": "LL-IP13-128-BLK",
    "description": "IPHONE 13 128GB BLK RTN",
    "unit_cost": "210.0000",
}


class RefIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})

    vendor_id: uuid.UUID
    product_id: uuid.UUID = Field(description="An intake product (catalog product id)")
    vendor_item_number: ItemNumber
    description: str = Field(default="", max_length=300)
    unit_cost: UnitCost | None = Field(default=None, ge=0)


class RefUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"example": {"unit_cost": "205.0000"}})

    product_id: uuid.UUID | None = None
    vendor_item_number: ItemNumber | None = None
    description: str | None = Field(default=None, max_length=300)
    unit_cost: Nullable[UnitCost] = Field(default=None, ge=0)


class RefOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "7e6d5c4b-3a29-4187-9654-3210fedcba98",
                **EXAMPLE,
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )

    id: uuid.UUID
    vendor_id: uuid.UUID
    product_id: uuid.UUID
    vendor_item_number: str
    description: str
    unit_cost: UnitCost | None
    created_at: datetime
    updated_at: datetime
