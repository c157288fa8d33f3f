"""Product and variant bodies. Prices are Decimal with two places and never negative."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl
from pydantic.config import JsonDict


def cents(value: Decimal) -> Decimal:
    """``"399"`` → ``399.00``: the response and the stored value agree from the first answer."""
    return value.quantize(Decimal("0.01"))


Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2), AfterValidator(cents)]
BrandId = Annotated[int, Field(ge=1, le=2**31 - 1)]  # a PostgreSQL integer key
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
SlugRef = Annotated[str, Field(min_length=1, max_length=140)]


class ProductStatus(StrEnum):
    active = "active"
    draft = "draft"
    archived = "archived"


PRODUCT_EXAMPLE: JsonDict = {
    "name": "iPhone 13 (refurbished)",
    "description": "Grade A refurbished handset, 12-month warranty.",
    "brand": 1,
    "department": "phones-tablets",
    "category": "smartphones",
    "subcategory": "refurbished-iphones",
    "base_price": "399.00",
    "currency": "USD",
    "status": "active",
    "attributes": {"warranty_months": 12},
    "images": ["https://cdn.example/iphone13.jpg"],
}


class ProductIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": PRODUCT_EXAMPLE})
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=20_000)] = ""
    brand: BrandId | None = Field(default=None, description="Brand id")
    department: SlugRef | None = None
    category: SlugRef | None = None
    subcategory: SlugRef | None = None
    base_price: Price
    currency: Currency = "USD"
    status: ProductStatus = ProductStatus.active
    attributes: dict[str, Any] = Field(default_factory=dict)
    images: list[HttpUrl] = Field(default_factory=list, max_length=50)


class ProductUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"base_price": "379.00", "status": "active"}}
    )
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(max_length=20_000)] | None = None
    brand: BrandId | None = None
    department: SlugRef | None = None
    category: SlugRef | None = None
    subcategory: SlugRef | None = None
    base_price: Price | None = None
    currency: Currency | None = None
    status: ProductStatus | None = None
    attributes: dict[str, Any] | None = None
    images: list[HttpUrl] | None = None
    slug: str | None = Field(default=None, description="Immutable: any different value is refused")


class ProductOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "2b1f...",
                "slug": "iphone-13-refurbished",
                **PRODUCT_EXAMPLE,
                "brand": {"id": 1, "name": "Apple", "slug": "apple"},
                "variant_count": 2,
                "date_created": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        }
    )
    id: uuid.UUID
    name: str
    slug: str
    description: str
    brand: dict[str, Any] | None
    department: str | None
    category: str | None
    subcategory: str | None
    base_price: Decimal
    currency: str
    status: str
    attributes: dict[str, Any]
    images: list[str]
    date_created: datetime
    updated_at: datetime


VARIANT_EXAMPLE: JsonDict = {
    "product": "iphone-13-refurbished",
    "name": "iPhone 13 128GB Midnight",
    "sku": "IP13-128-MID",
    "price_override": "419.00",
    "attributes": {"colour": "Midnight", "capacity": "128GB"},
    "unit": "piece",
    "quality": "grade-a",
}


class VariantIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": VARIANT_EXAMPLE})
    product: SlugRef = Field(description="Product slug")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    sku: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._/-]+$")]
    price_override: Price | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    unit: SlugRef | None = None
    quality: SlugRef | None = None
    is_active: bool = True


class VariantUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"price_override": "409.00"}}
    )
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    sku: (
        Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._/-]+$")] | None
    ) = None
    price_override: Price | None = None
    attributes: dict[str, Any] | None = None
    unit: SlugRef | None = None
    quality: SlugRef | None = None
    is_active: bool | None = None
    slug: str | None = None


class VariantOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "8c2e...",
                "slug": "iphone-13-128gb-midnight",
                **VARIANT_EXAMPLE,
                "price": "419.00",
                "currency": "USD",
                "is_active": True,
                "date_created": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        }
    )
    id: uuid.UUID
    product: str
    name: str
    slug: str
    sku: str
    price_override: Decimal | None
    price: Decimal
    currency: str
    attributes: dict[str, Any]
    unit: str | None
    quality: str | None
    is_active: bool
    date_created: datetime
    updated_at: datetime
