"""Spare-part bodies. The price is shown to system admins only."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from catalog.products.schemas import BrandId

Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]

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


class SpareIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})
    part_number: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=5000)] = ""
    price: Price
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    stock_hint: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    compatible_products: list[str] = Field(default_factory=list, description="Product slugs")
    compatible_brands: list[BrandId] = Field(default_factory=list, description="Brand ids")


class SpareUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"price": "85.00", "stock_hint": 6}}
    )
    part_number: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    price: Price | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    stock_hint: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    compatible_products: list[str] | None = None
    compatible_brands: list[BrandId] | None = None


class SpareOut(BaseModel):
    """``price`` is absent (not null) for anyone but a system admin."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "5d0c...",
                **EXAMPLE,
                "date_created": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        }
    )
    id: uuid.UUID
    part_number: str
    name: str
    description: str
    price: Decimal | None = None
    currency: str
    stock_hint: int
    compatible_products: list[str]
    compatible_brands: list[int]
    date_created: datetime
    updated_at: datetime
