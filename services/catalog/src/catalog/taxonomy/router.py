"""Routes of the simple catalog resources, each a ``Resource`` handed to the generic CRUD."""

from __future__ import annotations

from typing import Any

from catalog.crud import Child, ParentRef, Resource, crud_router
from catalog.models import (
    Brand,
    Category,
    Department,
    Product,
    Quality,
    Subcategory,
    Unit,
    Variant,
    spare_brands,
)
from catalog.taxonomy import schemas as s


def _with_parent(row: Any, out: type[s.Out], field: str) -> s.Out:
    parent = getattr(row, field)
    return out.model_validate(
        {**{key: getattr(row, key) for key in out.model_fields if key != field}, field: parent.slug}
    )


DEPARTMENTS = Resource(
    name="department",
    path="/api/departments",
    model=Department,
    create=s.DepartmentIn,
    update=s.DepartmentUpdate,
    out=s.DepartmentOut.model_validate,
    out_type=s.DepartmentOut,
    children=(
        Child(Category, "department_id", "categories"),
        Child(Product, "department_id", "products"),
    ),
)
CATEGORIES = Resource(
    name="category",
    path="/api/categories",
    model=Category,
    create=s.CategoryIn,
    update=s.CategoryUpdate,
    out=lambda row: _with_parent(row, s.CategoryOut, "department"),
    out_type=s.CategoryOut,
    parent=ParentRef("department", Department, "department_id"),
    children=(
        Child(Subcategory, "category_id", "subcategories"),
        Child(Product, "category_id", "products"),
    ),
    filters={"department": (Department, Department.slug)},
    placed=(Child(Product, "category_id", "products"),),
)
SUBCATEGORIES = Resource(
    name="subcategory",
    path="/api/subcategories",
    model=Subcategory,
    create=s.SubcategoryIn,
    update=s.SubcategoryUpdate,
    out=lambda row: _with_parent(row, s.SubcategoryOut, "category"),
    out_type=s.SubcategoryOut,
    parent=ParentRef("category", Category, "category_id"),
    children=(Child(Product, "subcategory_id", "products"),),
    filters={"category": (Category, Category.slug)},
    placed=(Child(Product, "subcategory_id", "products"),),
)
BRANDS = Resource(
    name="brand",
    path="/api/brands",
    model=Brand,
    key="id",
    create=s.BrandIn,
    update=s.BrandUpdate,
    out=s.BrandOut.model_validate,
    out_type=s.BrandOut,
    children=(Child(Product, "brand_id", "products"), Child(spare_brands, "brand_id", "spares")),
    unique_fields=("name",),
)
UNITS = Resource(
    name="unit",
    path="/api/units",
    model=Unit,
    public_read=False,
    create=s.UnitIn,
    update=s.UnitUpdate,
    out=s.UnitOut.model_validate,
    out_type=s.UnitOut,
    children=(Child(Variant, "unit_id", "variants"),),
)
QUALITIES = Resource(
    name="quality",
    path="/api/qualities",
    model=Quality,
    public_read=False,
    create=s.QualityIn,
    update=s.QualityUpdate,
    out=s.QualityOut.model_validate,
    out_type=s.QualityOut,
    ordering=("name", "rank", "created_at"),
    children=(Child(Variant, "quality_id", "variants"),),
)

routers = [
    crud_router(DEPARTMENTS, "departments"),
    crud_router(CATEGORIES, "categories"),
    crud_router(SUBCATEGORIES, "subcategories"),
    crud_router(BRANDS, "brands"),
    crud_router(UNITS, "units"),
    crud_router(QUALITIES, "qualities"),
]
