"""Batch group bodies (seed 002 /api/inventory/batch-groups) and the item-creating steps."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from common.money import Amount
from inventory.items.models import Condition
from inventory.types import Price

GROUP_EXAMPLE: JsonDict = {
    "id": "4d3c2b1a-0f9e-4d8c-b7a6-958473625140",
    "order_id": "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716",
    "store_id": "7d0c1c9e-3f7e-4c49-9a55-2f7f6f6f1a01",
    "product_id": "2b1f6c1e-5d0a-4c4e-9d55-8d9f6f1c2a10",
    "title": "Apple iPhone 13 128GB",
    "condition": "good",
    "status": "pending",
    "price": None,
    "location_id": None,
    "processed_at": None,
    "checked_in_at": None,
    "created_by": "advisor-7",
    "created_at": "2026-11-22T09:00:00Z",
    "updated_at": "2026-11-22T09:00:00Z",
    "item_count": 12,
    "items_by_status": {"intake": 12},
}


class BatchGroupOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": GROUP_EXAMPLE})

    id: uuid.UUID
    order_id: uuid.UUID
    store_id: uuid.UUID
    product_id: uuid.UUID | None
    title: str
    condition: str
    status: str = Field(description="pending, processed, checked_in")
    price: Amount | None
    location_id: uuid.UUID | None
    processed_at: datetime | None
    checked_in_at: datetime | None
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    item_count: int
    items_by_status: dict[str, int]


class ProcessIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "price": "249.00",
                "condition": "good",
                "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
            }
        },
    )

    price: Price | None = None
    condition: Condition | None = None
    location_id: uuid.UUID | None = Field(
        default=None, description="Where the units go (ledger +1 each)"
    )


class CheckInIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11"}},
    )

    location_id: uuid.UUID | None = Field(default=None, description="For units without one")
    price: Price | None = Field(default=None, description="For units without one")


class DetachIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"item_id": "5a8e3b21-7c4d-4e9f-8b1a-2d6c0f9e7a33"}},
    )

    item_id: uuid.UUID


class CheckInItemsIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "item_ids": ["5a8e3b21-7c4d-4e9f-8b1a-2d6c0f9e7a33"],
                "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
            }
        },
    )

    item_ids: list[uuid.UUID] = Field(min_length=1, max_length=1000)
    location_id: uuid.UUID | None = Field(default=None, description="For units without one")
    price: Price | None = Field(default=None, description="For units without one")


class CheckedInOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"checked_in": 12, "remaining_in_intake": 0}}
    )

    checked_in: int
    remaining_in_intake: int = Field(description="Units of the order still in intake")


class CreatedItemsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"items": 431, "batch_groups": 57, "created": True}}
    )

    items: int
    batch_groups: int
    created: bool = Field(description="False when the items existed already (nothing new)")
