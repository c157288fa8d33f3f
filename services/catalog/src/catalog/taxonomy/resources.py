"""The six taxonomy resources, each described once for the generic repository, service and router.

Departments, categories, subcategories, brands, units and qualities behave alike: create
with a generated slug, read by slug (brands by id), partial update, delete refused with
409 while anything refers to the row. A ``Resource`` says what differs: its table and
bodies, its parent (a body field naming the parent by slug), which tables refer to it,
its filters, search and ordering fields. Referring tables are named, not imported, so the
taxonomy does not depend on the domains that point at it (products, variants, spares).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from catalog.taxonomy import schemas as s
from catalog.taxonomy.models import Brand, Category, Department, Quality, Subcategory, Unit


@dataclass(frozen=True)
class Referrer:
    """A table whose rows point at this resource through ``column``."""

    table: str
    column: str
    label: str  # how the 409 names them: "3 products"


@dataclass(frozen=True)
class Parent:
    """A body field naming the parent by slug (``department``), stored as ``column``'s id."""

    field: str
    model: Any
    column: str


@dataclass(frozen=True)
class Resource:
    name: str  # "department"
    path: str  # "/api/departments"
    tag: str  # "departments"
    model: Any
    create: type[BaseModel]
    update: type[BaseModel]
    out: type[BaseModel]
    key: str = "slug"
    public_read: bool = True
    parent: Parent | None = None
    # Deleting is refused while any of these refer to the row.
    referrers: Sequence[Referrer] = ()
    # Rows that also store this row's parent (products keep department and category): a move
    # to another parent is refused while any exist, or they would silently disagree with it.
    placed: Sequence[Referrer] = ()
    # ?<name>=<parent slug> filters: query name → the parent's model
    filters: dict[str, Any] = field(default_factory=dict)
    search: Sequence[str] = ("name",)
    ordering: Sequence[str] = ("name", "created_at")
    unique_fields: Sequence[str] = ()  # case-insensitively unique (409 naming the field)


DEPARTMENTS = Resource(
    name="department",
    path="/api/departments",
    tag="departments",
    model=Department,
    create=s.DepartmentIn,
    update=s.DepartmentUpdate,
    out=s.DepartmentOut,
    referrers=(
        Referrer("categories", "department_id", "categories"),
        Referrer("products", "department_id", "products"),
    ),
)
CATEGORIES = Resource(
    name="category",
    path="/api/categories",
    tag="categories",
    model=Category,
    create=s.CategoryIn,
    update=s.CategoryUpdate,
    out=s.CategoryOut,
    parent=Parent("department", Department, "department_id"),
    referrers=(
        Referrer("subcategories", "category_id", "subcategories"),
        Referrer("products", "category_id", "products"),
    ),
    placed=(Referrer("products", "category_id", "products"),),
    filters={"department": Department},
)
SUBCATEGORIES = Resource(
    name="subcategory",
    path="/api/subcategories",
    tag="subcategories",
    model=Subcategory,
    create=s.SubcategoryIn,
    update=s.SubcategoryUpdate,
    out=s.SubcategoryOut,
    parent=Parent("category", Category, "category_id"),
    referrers=(Referrer("products", "subcategory_id", "products"),),
    placed=(Referrer("products", "subcategory_id", "products"),),
    filters={"category": Category},
)
BRANDS = Resource(
    name="brand",
    path="/api/brands",
    tag="brands",
    model=Brand,
    key="id",
    create=s.BrandIn,
    update=s.BrandUpdate,
    out=s.BrandOut,
    referrers=(
        Referrer("products", "brand_id", "products"),
        Referrer("spare_brands", "brand_id", "spares"),
    ),
    unique_fields=("name",),
)
UNITS = Resource(
    name="unit",
    path="/api/units",
    tag="units",
    model=Unit,
    public_read=False,
    create=s.UnitIn,
    update=s.UnitUpdate,
    out=s.UnitOut,
    referrers=(Referrer("variants", "unit_id", "variants"),),
)
QUALITIES = Resource(
    name="quality",
    path="/api/qualities",
    tag="qualities",
    model=Quality,
    public_read=False,
    create=s.QualityIn,
    update=s.QualityUpdate,
    out=s.QualityOut,
    ordering=("name", "rank", "created_at"),
    referrers=(Referrer("variants", "quality_id", "variants"),),
)

RESOURCES = (DEPARTMENTS, CATEGORIES, SUBCATEGORIES, BRANDS, UNITS, QUALITIES)
