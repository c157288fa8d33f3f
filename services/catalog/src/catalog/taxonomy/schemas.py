"""Bodies of departments, categories, subcategories, brands, units and qualities.

Create bodies never take a slug (it is generated from the name); update bodies
accept ``slug`` only to refuse a change with a clear 400.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

Name = Annotated[str, Field(min_length=1, max_length=120)]
Text = Annotated[str, Field(max_length=5000)]
SlugRef = Annotated[str, Field(min_length=1, max_length=140)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class DepartmentIn(In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"name": "Phones & Tablets", "description": "Handsets and tablets"}
        },
    )
    name: Name
    description: Text = ""


class DepartmentUpdate(In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"description": "Handsets, tablets and wearables"}},
    )
    name: Name | None = None
    description: Text | None = None
    slug: str | None = Field(default=None, description="Immutable: any different value is refused")


class DepartmentOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
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


class CategoryUpdate(In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"department": "phones-tablets"}}
    )
    name: Name | None = None
    department: SlugRef | None = None
    description: Text | None = None
    slug: str | None = None


class CategoryOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
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
    department: str
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


class SubcategoryUpdate(In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"description": "Grade A and B"}}
    )
    name: Name | None = None
    category: SlugRef | None = None
    description: Text | None = None
    slug: str | None = None


class SubcategoryOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
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
    category: str
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


class BrandUpdate(In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"description": "Phones, tablets, laptops"}}
    )
    name: Name | None = None
    description: Text | None = None
    logo_url: HttpUrl | Literal[""] | None = None
    website: HttpUrl | Literal[""] | None = None
    slug: str | None = None


class BrandOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
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


class UnitUpdate(In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"symbol": "pcs"}})
    name: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    symbol: Annotated[str, Field(max_length=20)] | None = None
    slug: str | None = None


class UnitOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
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
    rank: Annotated[int, Field(ge=0, le=1000)] = 0


class QualityUpdate(In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"rank": 2}})
    name: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    description: Text | None = None
    rank: Annotated[int, Field(ge=0, le=1000)] | None = None
    slug: str | None = None


class QualityOut(Out):
    model_config = ConfigDict(
        from_attributes=True,
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
