"""Consigned item bodies (seed 002 /api/consignment/items): a unit of inventory's taken in
under an agreement version, with what it sold for and the consignee's share."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from common.money import Amount
from common.updates import PartialUpdate
from pos.consignment.models import ConsignedStatus
from pos.schema_types import NonNegativeAmount, update_example

EXAMPLE_OUT: dict[str, Any] = {
    "id": "5d2c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e9f",
    "item_id": "9e1c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e01",
    "agreement_id": "2f4c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e9f",
    "consignee_id": "42",
    "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
    "sku": "GTR-00017",
    "name": "Fender Telecaster 1978",
    "category": "Guitars",
    "list_price": "1200.00",
    "status": "sold",
    "sold_price": "1150.00",
    "share_amount": "745.50",
    "sold_at": "2026-11-29T15:12:00Z",
    "created_at": "2026-11-20T09:00:00Z",
    "updated_at": "2026-11-29T15:12:00Z",
}


class NewUnitIn(BaseModel):
    """A unit POS creates in inventory for the consignee (``source`` consignment, the
    consignee its owner, status intake: inventory puts it on the shelf)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=5000)
    category: str = Field(default="", max_length=140)
    brand: str = Field(default="", max_length=120)
    condition: Literal["new", "like_new", "good", "fair", "poor", "for_parts"] = "good"
    price: NonNegativeAmount = Field(description="The list price")
    location_id: uuid.UUID | None = Field(
        default=None, description="inventory's location of the store where the unit is"
    )


class ConsignedItemIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "agreement_id": "2f4c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e9f",
                "unit": {
                    "name": "Fender Telecaster 1978",
                    "category": "Guitars",
                    "condition": "good",
                    "price": "1200.00",
                },
            }
        },
    )

    agreement_id: uuid.UUID = Field(description="The active agreement version it comes under")
    item_id: uuid.UUID | None = Field(
        default=None,
        description="Link an existing unit item of inventory's (already in POS's read-model)",
    )
    unit: NewUnitIn | None = Field(
        default=None, description="Or create the unit in inventory (exactly one of the two)"
    )

    @model_validator(mode="after")
    def _one_unit(self) -> ConsignedItemIn:
        if (self.item_id is None) == (self.unit is None):
            raise ValueError("give exactly one of item_id (an existing unit) or unit (a new one)")
        return self


class ConsignedItemUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra=update_example({"list_price": "1100.00"}))

    list_price: NonNegativeAmount | None = None


class ConsignedItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": EXAMPLE_OUT})

    id: uuid.UUID
    item_id: uuid.UUID
    agreement_id: uuid.UUID
    consignee_id: str
    store_id: uuid.UUID
    sku: str
    name: str
    category: str
    list_price: Amount | None
    status: ConsignedStatus
    sold_price: Amount | None
    share_amount: Amount | None
    sold_at: datetime | None
    created_at: datetime
    updated_at: datetime
