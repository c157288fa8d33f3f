"""Spare-part bodies. The price is shown to system admins only: ``SpareOut`` carries it,
``SparePublicOut`` (what everyone else gets) has no such field at all."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.config import JsonDict

from catalog.fields import PG_INTEGER_MAX, BrandId, Count, Currency, Price, UpdateBody

PartNumber = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=5000)]
StockHint = Annotated[Count, Field(ge=0, le=PG_INTEGER_MAX)]

EXAMPLE: JsonDict = {
    "part_number": "IP13-SCR-OLED",
    "name": "iPhone 13 OLED screen",
    "description": "Replacement display assembly",
    "price": "89.00",
    "currency": "USD",
    "stock_hint": 4,
    "compatible_products": ["iphone-13-refurbished"],
    "compatible_brands": [1],
}
PUBLIC_EXAMPLE: JsonDict = {key: value for key, value in EXAMPLE.items() if key != "price"}
STAMPS: JsonDict = {
    "id": "5d0c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "date_created": "2026-11-22T09:00:00Z",
    "updated_at": "2026-11-22T09:00:00Z",
}


class SpareIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})
    part_number: PartNumber
    name: Name
    description: Description = ""
    price: Price
    currency: Currency = "USD"
    stock_hint: StockHint = 0
    compatible_products: list[str] = Field(default_factory=list, description="Product slugs")
    compatible_brands: list[BrandId] = Field(default_factory=list, description="Brand ids")


class SpareUpdate(UpdateBody):
    EXAMPLE: ClassVar[dict[str, Any]] = {"price": "85.00", "stock_hint": 6}
    part_number: PartNumber | None = None
    name: Name | None = None
    description: Description | None = None
    price: Price | None = None
    currency: Currency | None = None
    stock_hint: StockHint | None = None
    compatible_products: list[str] | None = Field(default=None, description="Product slugs")
    compatible_brands: list[BrandId] | None = Field(default=None, description="Brand ids")


class SparePublicOut(BaseModel):
    """A spare part as anyone but a system admin sees it: no price."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={"example": {**STAMPS, **PUBLIC_EXAMPLE}},
    )
    id: uuid.UUID
    part_number: str
    name: str
    description: str
    currency: str
    stock_hint: int
    compatible_products: list[str] = Field(description="Product slugs, sorted")
    compatible_brands: list[int] = Field(description="Brand ids, sorted")
    date_created: datetime = Field(validation_alias="created_at")
    updated_at: datetime

    @field_validator("compatible_products", mode="before")
    @classmethod
    def _product_slugs(cls, products: Any) -> Any:
        return sorted(getattr(product, "slug", product) for product in products)

    @field_validator("compatible_brands", mode="before")
    @classmethod
    def _brand_ids(cls, brands: Any) -> Any:
        return sorted(getattr(brand, "id", brand) for brand in brands)


class SpareOut(SparePublicOut):
    """A spare part as a system admin sees it: with its price."""

    model_config = ConfigDict(json_schema_extra={"example": {**STAMPS, **EXAMPLE}})
    price: Price
