"""Unit item bodies: one physical unit with its own SKU, price, condition and status."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import AliasPath, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from common.money import Amount
from common.updates import Nullable, PartialUpdate
from inventory.items.models import Condition, ItemStatus, Source
from inventory.types import Currency, Price, Sku

EXAMPLE: JsonDict = {
    "sku": "RS-000123",
    "name": "iPhone 13 128GB Midnight (used)",
    "description": "Light scratches on the back; battery 88%.",
    "category": "smartphones",
    "brand": "Apple",
    "condition": "good",
    "source": "trade_in",
    "price": "379.00",
    "cost": "210.00",
    "store_id": "7d0c1c9e-3f7e-4c49-9a55-2f7f6f6f1a01",
    "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
    "attributes": {"imei_checked": True},
}


class ItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})

    sku: Sku | None = Field(default=None, description="Generated (ITM-000123) when omitted")
    name: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=5000)
    product_id: uuid.UUID | None = Field(default=None, description="The catalog product, if any")
    category: str = Field(default="", max_length=140)
    brand: str = Field(default="", max_length=120)
    condition: Condition = Condition.good
    source: Source = Source.manual
    price: Price | None = None
    cost: Price | None = None
    currency: Currency = "USD"
    store_id: uuid.UUID
    location_id: uuid.UUID | None = Field(
        default=None, description="Where the unit is; it enters the stock ledger there"
    )
    attributes: dict[str, Any] = Field(default_factory=dict)
    notes: str = Field(default="", max_length=5000)
    owner_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="The consignee (auth user id) who owns it: only with source consignment",
    )


class ItemUpdate(PartialUpdate):
    """What staff may change. ``status`` only along the allowed transitions; never sku or
    store. ``product_id``, ``price`` and ``cost`` may be cleared with ``null``."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"price": "359.00", "condition": "fair"}}
    )

    name: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    product_id: Nullable[uuid.UUID] = None
    category: str | None = Field(default=None, max_length=140)
    brand: str | None = Field(default=None, max_length=120)
    condition: Condition | None = None
    source: Source | None = None
    price: Nullable[Price] = None
    cost: Nullable[Price] = None
    location_id: uuid.UUID | None = None
    attributes: dict[str, Any] | None = None
    notes: str | None = Field(default=None, max_length=5000)
    status: ItemStatus | None = Field(
        default=None,
        description="reserved, damaged, lost, intake or on_shelf, as the current status allows; "
        "sold and returned come from POS",
    )


class CheckIn(PartialUpdate):
    """Finalised fields for a unit leaving intake; it becomes ``on_shelf``. ``price`` and
    ``cost`` may be cleared with ``null`` (a unit without a price stays in intake)."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "price": "379.00",
                "condition": "good",
                "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
            }
        },
    )

    name: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    category: str | None = Field(default=None, max_length=140)
    condition: Condition | None = None
    price: Nullable[Price] = None
    cost: Nullable[Price] = None
    location_id: uuid.UUID | None = None
    attributes: dict[str, Any] | None = None


class ItemOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "5a8e3b21-7c4d-4e9f-8b1a-2d6c0f9e7a33",
                "sku": "ITM-000123",
                "name": "iPhone 13 128GB Midnight (used)",
                "description": "Light scratches on the back; battery 88%.",
                "product_id": "2b1f6c3e-9d4a-4f7b-8e21-6a5c4d3b2e10",
                "category": "smartphones",
                "brand": "Apple",
                "condition": "good",
                "source": "trade_in",
                "status": "on_shelf",
                "price": "379.00",
                "cost": "210.00",
                "currency": "USD",
                "store_id": "7d0c1c9e-3f7e-4c49-9a55-2f7f6f6f1a01",
                "location_id": "3c9d2f6e-8a41-4b7e-9f0a-5e1d2c3b4a51",
                "attributes": {"imei_checked": True},
                "notes": "Traded in with original box",
                "created_by": "advisor-7",
                "owner_id": None,
                "checked_in_at": "2026-11-22T10:15:00Z",
                "sold_at": None,
                "purchase_order_id": None,
                "batch_group_id": None,
                "processing_tier": "individual",
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T10:15:00Z",
            }
        },
    )

    id: uuid.UUID
    sku: str
    name: str
    description: str
    product_id: uuid.UUID | None
    category: str
    brand: str
    condition: str
    source: str
    status: str
    price: Amount | None
    cost: Amount | None
    currency: str
    store_id: uuid.UUID
    location_id: uuid.UUID | None
    attributes: dict[str, Any]
    notes: str
    created_by: str | None
    owner_id: str | None = Field(description="The consignee who owns a consignment unit")
    checked_in_at: datetime | None
    sold_at: datetime | None
    purchase_order_id: uuid.UUID | None = Field(description="The order it came in on (intake)")
    batch_group_id: uuid.UUID | None
    processing_tier: str = Field(description="batch (with its group) or individual")
    created_at: datetime
    updated_at: datetime


class PublicItemOut(BaseModel):
    """What anyone may see of a unit by its SKU: no cost, notes or internal ids."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "sku": "ITM-000123",
                "name": "iPhone 13 128GB Midnight (used)",
                "description": "Light scratches on the back; battery 88%.",
                "category": "smartphones",
                "brand": "Apple",
                "condition": "good",
                "available": True,
                "price": "379.00",
                "currency": "USD",
                "store_code": "NYC-01",
                "store_name": "Manhattan",
            }
        },
    )

    sku: str
    name: str
    description: str
    category: str
    brand: str
    condition: str
    available: bool = Field(validation_alias="sellable", description="On the shelf and for sale")
    price: Amount | None = Field(
        validation_alias="shown_price",
        description="Shown once the unit is priced and on the shelf",
    )
    currency: str
    store_code: str = Field(validation_alias=AliasPath("store", "code"))
    store_name: str = Field(validation_alias=AliasPath("store", "name"))


class ItemEventOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": 4812,
                "item_id": "5a8e3b21-7c4d-4e9f-8b1a-2d6c0f9e7a33",
                "event_type": "checked_in",
                "from_status": "intake",
                "to_status": "on_shelf",
                "details": {},
                "actor": "advisor-7",
                "at": "2026-11-22T10:15:00Z",
            }
        },
    )

    id: int
    item_id: uuid.UUID
    event_type: str
    from_status: str | None
    to_status: str | None
    details: dict[str, Any]
    actor: str | None
    at: datetime
