"""Product and variant bodies. Prices are ``Price`` (``common.money.Amount``, never negative):
a string or number with at most two decimals, answered as a string with exactly two."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import AliasChoices, AliasPath, BaseModel, ConfigDict, Field, HttpUrl
from pydantic.config import JsonDict

from catalog.fields import BrandId, Currency, Flag, Price, SlugRef, UpdateBody
from catalog.products.models import ProductStatus
from common.updates import Nullable

Name = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=20_000)]
Sku = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._/-]+$")]

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
    name: Name
    description: Description = ""
    brand: BrandId | None = Field(default=None, description="Brand id")
    department: SlugRef | None = None
    category: SlugRef | None = None
    subcategory: SlugRef | None = None
    base_price: Price
    currency: Currency = "USD"
    status: ProductStatus = ProductStatus.active
    attributes: dict[str, Any] = Field(default_factory=dict)
    images: list[HttpUrl] = Field(default_factory=list, max_length=50)


class ProductUpdate(UpdateBody):
    """The fields sent change; ``null`` clears the brand or a taxonomy level, nothing else.
    The slug is not a field: it never changes."""

    EXAMPLE: ClassVar[dict[str, Any]] = {"base_price": "379.00", "status": "active"}
    name: Name | None = None
    description: Description | None = None
    brand: Nullable[BrandId] = Field(default=None, description="Brand id; null: no brand")
    department: Nullable[SlugRef] = None
    category: Nullable[SlugRef] = None
    subcategory: Nullable[SlugRef] = None
    base_price: Price | None = None
    currency: Currency | None = None
    status: ProductStatus | None = None
    attributes: dict[str, Any] | None = None
    images: Annotated[list[HttpUrl], Field(max_length=50)] | None = None


@dataclass(frozen=True)
class ProductFilters:
    """The list's filters (each optional); ``brand`` is an id or a slug."""

    brand: str | None = None
    department: str | None = None
    category: str | None = None
    subcategory: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    status: ProductStatus | None = None


class BrandRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    slug: str


def _slug_of(relation: str) -> Any:
    """The slug of a (nullable) related row: ``product.department.slug`` of an ORM object,
    or the ``department_slug`` column of a list row."""
    return Field(
        default=None, validation_alias=AliasChoices(AliasPath(relation, "slug"), f"{relation}_slug")
    )


class ProductOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "example": {
                "id": "2b1f6c1e-5d0a-4c4e-9d55-8d9f6f1c2a10",
                "slug": "iphone-13-refurbished",
                **PRODUCT_EXAMPLE,
                "brand": {"id": 1, "name": "Apple", "slug": "apple"},
                "date_created": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )
    id: uuid.UUID
    name: str
    slug: str
    description: str
    brand: BrandRef | None
    department: str | None = _slug_of("department")
    category: str | None = _slug_of("category")
    subcategory: str | None = _slug_of("subcategory")
    base_price: Price
    currency: str
    status: ProductStatus
    attributes: dict[str, Any]
    images: list[str]
    date_created: datetime = Field(validation_alias="created_at")
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
    name: Name
    sku: Sku
    price_override: Price | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    unit: SlugRef | None = None
    quality: SlugRef | None = None
    is_active: Flag = True


class VariantUpdate(UpdateBody):
    """The fields sent change; ``null`` clears the price override, unit or quality. The slug
    is not a field: it never changes."""

    EXAMPLE: ClassVar[dict[str, Any]] = {"price_override": "409.00"}
    name: Name | None = None
    sku: Sku | None = None
    price_override: Nullable[Price] = Field(default=None, description="null: the base price")
    attributes: dict[str, Any] | None = None
    unit: Nullable[SlugRef] = None
    quality: Nullable[SlugRef] = None
    is_active: Flag | None = None


class VariantOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "example": {
                "id": "8c2e4b1a-7f3d-4e6a-9b1c-2d3e4f5a6b7c",
                "slug": "iphone-13-128gb-midnight",
                **VARIANT_EXAMPLE,
                "price": "419.00",
                "currency": "USD",
                "is_active": True,
                "date_created": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )
    id: uuid.UUID
    product: str = Field(validation_alias=AliasPath("product", "slug"))
    name: str
    slug: str
    sku: str
    price_override: Price | None
    price: Price = Field(description="The override, else the product's base price")
    currency: str = Field(validation_alias=AliasPath("product", "currency"))
    attributes: dict[str, Any]
    unit: str | None = _slug_of("unit")
    quality: str | None = _slug_of("quality")
    is_active: bool
    date_created: datetime = Field(validation_alias="created_at")
    updated_at: datetime
