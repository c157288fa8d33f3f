"""Bodies of departments, categories, subcategories, brands, units and qualities.

Slugs are generated from the name and never change: no body takes one (a ``slug`` in a
create or an update is refused with 422 naming it). Updates are partial: a field left
out is kept, and none of these fields may be ``null``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AliasPath, BaseModel, ConfigDict, Field, HttpUrl

from catalog.fields import Count, UpdateBody

Name = Annotated[str, Field(min_length=1, max_length=120)]
Text = Annotated[str, Field(max_length=5000)]
SlugRef = Annotated[str, Field(min_length=1, max_length=140)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Update(UpdateBody):
    """Every field optional; ``null`` refused (the slug is not a field: it never changes)."""


class Out(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_serialization_defaults_required=True
    )


class DepartmentIn(In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"name": "Phones & Tablets", "description": "Handsets and tablets"}
        },
    )
    name: Name
    description: Text = ""


class DepartmentUpdate(Update):
    EXAMPLE: ClassVar[dict[str, Any]] = {"description": "Handsets, tablets and wearables"}
    name: Name | None = None
    description: Text | None = None


class DepartmentOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "example": {
                "id": 1,
                "name": "Phones & Tablets",
                "slug": "phones-tablets",
                "description": "",
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )
    id: int
    name: str
    slug: str
    description: str
    created_at: datetime
    updated_at: datetime


class CategoryIn(In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"name": "Smartphones", "department": "phones-tablets"}},
    )
    name: Name
    department: SlugRef = Field(description="Department slug")
    description: Text = ""


class CategoryUpdate(Update):
    EXAMPLE: ClassVar[dict[str, Any]] = {"department": "phones-tablets"}
    name: Name | None = None
    department: SlugRef | None = None
    description: Text | None = None


class CategoryOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "example": {
                "id": 3,
                "name": "Smartphones",
                "slug": "smartphones",
                "department": "phones-tablets",
                "description": "",
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )
    id: int
    name: str
    slug: str
    department: str = Field(validation_alias=AliasPath("department", "slug"))
    description: str
    created_at: datetime
    updated_at: datetime


class SubcategoryIn(In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"name": "Refurbished iPhones", "category": "smartphones"}},
    )
    name: Name
    category: SlugRef = Field(description="Category slug")
    description: Text = ""


class SubcategoryUpdate(Update):
    EXAMPLE: ClassVar[dict[str, Any]] = {"description": "Grade A and B"}
    name: Name | None = None
    category: SlugRef | None = None
    description: Text | None = None


class SubcategoryOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "example": {
                "id": 7,
                "name": "Refurbished iPhones",
                "slug": "refurbished-iphones",
                "category": "smartphones",
                "description": "",
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )
    id: int
    name: str
    slug: str
    category: str = Field(validation_alias=AliasPath("category", "slug"))
    description: str
    created_at: datetime
    updated_at: datetime


class BrandIn(In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"name": "Apple", "website": "https://www.apple.com"}},
    )
    name: Name
    description: Text = ""
    logo_url: HttpUrl | Literal[""] = ""
    website: HttpUrl | Literal[""] = ""


class BrandUpdate(Update):
    EXAMPLE: ClassVar[dict[str, Any]] = {"description": "Phones, tablets, laptops"}
    name: Name | None = None
    description: Text | None = None
    logo_url: HttpUrl | Literal[""] | None = None
    website: HttpUrl | Literal[""] | None = None


class BrandOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "example": {
                "id": 1,
                "name": "Apple",
                "slug": "apple",
                "description": "",
                "logo_url": "",
                "website": "https://www.apple.com/",
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )
    id: int
    name: str
    slug: str
    description: str
    logo_url: str
    website: str
    created_at: datetime
    updated_at: datetime


class UnitIn(In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"name": "Piece", "symbol": "pc"}}
    )
    name: Annotated[str, Field(min_length=1, max_length=60)]
    symbol: Annotated[str, Field(max_length=20)] = ""


class UnitUpdate(Update):
    EXAMPLE: ClassVar[dict[str, Any]] = {"symbol": "pcs"}
    name: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    symbol: Annotated[str, Field(max_length=20)] | None = None


class UnitOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "example": {
                "id": 1,
                "name": "Piece",
                "slug": "piece",
                "symbol": "pc",
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )
    id: int
    name: str
    slug: str
    symbol: str
    created_at: datetime
    updated_at: datetime


class QualityIn(In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"name": "Grade A", "description": "Like new", "rank": 1}},
    )
    name: Annotated[str, Field(min_length=1, max_length=60)]
    description: Text = ""
    rank: Annotated[Count, Field(ge=0, le=1000)] = 0


class QualityUpdate(Update):
    EXAMPLE: ClassVar[dict[str, Any]] = {"rank": 2}
    name: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    description: Text | None = None
    rank: Annotated[Count, Field(ge=0, le=1000)] | None = None


class QualityOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "example": {
                "id": 1,
                "name": "Grade A",
                "slug": "grade-a",
                "description": "Like new",
                "rank": 1,
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )
    id: int
    name: str
    slug: str
    description: str
    rank: int
    created_at: datetime
    updated_at: datetime
