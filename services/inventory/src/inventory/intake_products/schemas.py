"""Intake product bodies (seed 002 /api/inventory/products): a catalog product with the
matching metadata inventory keeps for it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AliasPath, BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator
from pydantic.config import JsonDict

from common.money import Amount
from common.updates import Nullable, PartialUpdate
from inventory.items.models import Condition
from inventory.types import Currency, Price

Upc = Annotated[str, Field(pattern=r"^\d{6,14}$", description="6 to 14 digits")]
Alias = Annotated[str, Field(min_length=1, max_length=200)]
SpecValue = Annotated[str, Field(max_length=200)] | StrictInt | StrictBool
Specs = Annotated[
    dict[Annotated[str, Field(pattern=r"^[a-z0-9_]{1,40}$")], SpecValue], Field(max_length=30)
]

EXAMPLE: JsonDict = {
    "name": "Apple iPhone 13 128GB",
    "base_price": "399.00",
    "currency": "USD",
    "description": "Unlocked",
    "brand": "Apple",
    "model": "A2482",
    "category_id": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b",
    "upcs": ["194252707722"],
    "aliases": ["iphone 13 128 gb", "apple iphone13"],
    "specs": {"storage": "128GB"},
    "default_condition": "good",
}


class ProductIn(BaseModel):
    """Either ``catalog_product_id`` (a catalog product inventory already knows: only the
    metadata is added) or ``name`` (the product is created in catalog first, as inventory)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})

    catalog_product_id: uuid.UUID | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    base_price: Price | None = Field(default=None, description="For a new catalog product")
    currency: Currency = "USD"
    description: str = Field(default="", max_length=5000)
    brand: str = Field(default="", max_length=120)
    model: str = Field(default="", max_length=120)
    category_id: uuid.UUID | None = None
    upcs: list[Upc] = Field(default_factory=list, max_length=20)
    aliases: list[Alias] = Field(default_factory=list, max_length=30)
    specs: Specs = Field(default_factory=dict)
    default_condition: Condition | None = None

    @model_validator(mode="after")
    def _one_product(self) -> ProductIn:
        if (self.catalog_product_id is None) == (self.name is None):
            raise ValueError(
                "give either catalog_product_id (an existing product) or name (a new one)"
            )
        if self.catalog_product_id is not None and self.base_price is not None:
            raise ValueError(
                "base_price is only for a new product (catalog keeps an existing one's)"
            )
        return self


class ProductUpdate(PartialUpdate):
    """The matching metadata (the product's name and price are catalog's)."""

    model_config = ConfigDict(json_schema_extra={"example": {"aliases": ["iphone 13 128"]}})

    brand: str | None = Field(default=None, max_length=120)
    model: str | None = Field(default=None, max_length=120)
    category_id: Nullable[uuid.UUID] = None
    upcs: Annotated[list[Upc], Field(max_length=20)] | None = None
    aliases: Annotated[list[Alias], Field(max_length=30)] | None = None
    specs: Specs | None = None
    default_condition: Nullable[Condition] = None


class ProductOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "2b1f6c1e-5d0a-4c4e-9d55-8d9f6f1c2a10",
                "slug": "apple-iphone-13-128gb",
                "name": "Apple iPhone 13 128GB",
                "base_price": "399.00",
                "currency": "USD",
                "status": "active",
                "brand": "Apple",
                "model": "A2482",
                "category_id": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b",
                "upcs": ["194252707722"],
                "aliases": ["iphone 13 128 gb"],
                "specs": {"storage": "128GB"},
                "default_condition": "good",
                "created_by": "advisor-7",
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )

    id: uuid.UUID = Field(validation_alias="product_id", description="catalog's product id")
    slug: str = Field(validation_alias=AliasPath("product", "slug"))
    name: str = Field(validation_alias=AliasPath("product", "name"))
    base_price: Amount | None = Field(validation_alias=AliasPath("product", "base_price"))
    currency: str = Field(validation_alias=AliasPath("product", "currency"))
    status: str = Field(validation_alias=AliasPath("product", "status"))
    brand: str
    model: str
    category_id: uuid.UUID | None
    upcs: list[str]
    aliases: list[str]
    specs: dict[str, str | int | bool]
    default_condition: str | None
    created_by: str | None
    created_at: datetime
    updated_at: datetime
