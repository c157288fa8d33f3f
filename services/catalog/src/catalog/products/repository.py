"""Every query of products and variants: rows by slug, references by slug or id, SKUs,
and the list statements."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from catalog.fields import PG_INTEGER_MAX
from catalog.products.models import Product, Variant
from catalog.products.schemas import ProductFilters
from catalog.products.search import matching
from catalog.slugs import unique_slug
from catalog.taxonomy.models import Brand, Category, Department, Subcategory
from common.pagination import (
    PageParams,
    apply_ordering,
    apply_search,
    paginate,
    paginate_counted,
)

# What a product's answer and events show of its relations: the brand and the three slugs.
# Without these options each listed product would also load its category's department and
# its subcategory's category and department (seven joins instead of four). ``raiseload``,
# not ``noload``: what is left out stays unloaded (a later query may load it), never None.
PLACED = (
    joinedload(Product.brand),
    joinedload(Product.department),
    joinedload(Product.category).raiseload(Category.department),
    joinedload(Product.subcategory).raiseload(Subcategory.category),
)
# A variant shows its product's slug, name, currency and base price, its unit and quality.
WITH_PRODUCT = (
    joinedload(Variant.product).raiseload("*"),
    joinedload(Variant.unit),
    joinedload(Variant.quality),
)
# The list's columns, read without the ORM (no identity map, no loaders per row: a page of
# products costs a fraction of loading Product objects): what ProductOut shows, the brand as
# a JSON object, the taxonomy as slugs.
LISTED = (
    Product.id,
    Product.name,
    Product.slug,
    Product.description,
    case(
        (Brand.id.is_(None), None),
        else_=func.json_build_object("id", Brand.id, "name", Brand.name, "slug", Brand.slug),
    ).label("brand"),
    Department.slug.label("department_slug"),
    Category.slug.label("category_slug"),
    Subcategory.slug.label("subcategory_slug"),
    Product.base_price,
    Product.currency,
    Product.status,
    Product.attributes,
    Product.images,
    Product.created_at,
    Product.updated_at,
)
# Built once: SQLAlchemy's statement cache key of a list is then mostly memoized (building
# these joins per request made computing the key a tenth of the request).
LIST_BASE = (
    select(*LISTED)
    .select_from(Product)
    .outerjoin(Brand, Product.brand_id == Brand.id)
    .outerjoin(Department, Product.department_id == Department.id)
    .outerjoin(Category, Product.category_id == Category.id)
    .outerjoin(Subcategory, Product.subcategory_id == Subcategory.id)
)
PRODUCT_ORDERING = {
    "price": Product.base_price,
    "name": Product.name,
    "date_created": Product.created_at,
}
VARIANT_ORDERING = {"name": Variant.name, "sku": Variant.sku, "date_created": Variant.created_at}


class CatalogRows:
    """What products and variants share: a session, slugs, and the references they name."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def id_by_slug(self, model: Any, slug: str) -> int | None:
        found = await self.session.execute(select(model.id).where(model.slug == slug))
        value = found.scalar_one_or_none()
        return None if value is None else int(value)

    async def get(self, model: Any, key: Any) -> Any | None:
        return await self.session.get(model, key)

    async def new_slug(self, model: Any, name: str) -> str:
        return await unique_slug(self.session, model, name, max_length=200)

    async def add(self, row: Any) -> None:
        self.session.add(row)
        await self.session.flush()

    async def save(self, row: Any) -> None:
        """Write the changes and reload the row (its relations too: the new placement)."""
        await self.session.flush()
        await self.session.refresh(row)

    async def delete(self, row: Any) -> None:
        await self.session.delete(row)
        await self.session.flush()

    async def page(self, statement: Select[Any], params: PageParams) -> tuple[int, list[Any]]:
        """Count and slice (ORM objects)."""
        return await paginate(self.session, statement, params)

    async def counted_page(
        self, statement: Select[Any], count: Select[Any], params: PageParams
    ) -> tuple[int, list[dict[str, Any]]]:
        """The page's rows as dicts and ``count``'s total, in one statement."""
        return await paginate_counted(self.session, statement, count, params)


class ProductRepository(CatalogRows):
    async def by_slug(self, slug: str) -> Product | None:
        found = await self.session.execute(
            select(Product).options(*PLACED).where(Product.slug == slug)
        )
        return found.unique().scalar_one_or_none()

    async def by_key(self, key: str) -> Product | None:
        """The product the request with this ``Idempotency-Key`` created."""
        found = await self.session.execute(
            select(Product).options(*PLACED).where(Product.idempotency_key == key)
        )
        return found.unique().scalar_one_or_none()

    async def skus(self, product_id: uuid.UUID) -> list[str]:
        found = await self.session.execute(
            select(Variant.sku).where(Variant.product_id == product_id)
        )
        return list(found.scalars())

    async def variant_count(self, product_id: uuid.UUID) -> int:
        count = select(func.count()).select_from(Variant).where(Variant.product_id == product_id)
        return int((await self.session.execute(count)).scalar_one())

    def listing(
        self, filters: ProductFilters, search: str | None, ordering: str | None
    ) -> Select[Any]:
        """The page's rows: ``LISTED`` columns (read by ``ProductOut``)."""
        statement = LIST_BASE.where(*self._conditions(filters, search))
        return apply_ordering(
            statement, ordering, PRODUCT_ORDERING, [Product.created_at.desc(), Product.id]
        )

    def counting(self, filters: ProductFilters, search: str | None) -> Select[Any]:
        """How many products the list holds: the same conditions, on ``products`` alone."""
        return select(func.count()).select_from(Product).where(*self._conditions(filters, search))

    @staticmethod
    def _conditions(filters: ProductFilters, search: str | None) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        brand = filters.brand
        if brand:
            if brand.isascii() and brand.isdigit() and int(brand) <= PG_INTEGER_MAX:
                conditions.append(Product.brand_id == int(brand))
            else:
                conditions.append(Product.brand_id.in_(select(Brand.id).where(Brand.slug == brand)))
        for slug, model, column in (
            (filters.department, Department, Product.department_id),
            (filters.category, Category, Product.category_id),
            (filters.subcategory, Subcategory, Product.subcategory_id),
        ):
            if slug:
                conditions.append(column.in_(select(model.id).where(model.slug == slug)))
        if filters.min_price is not None:
            conditions.append(Product.base_price >= filters.min_price)
        if filters.max_price is not None:
            conditions.append(Product.base_price <= filters.max_price)
        if filters.status is not None:
            conditions.append(Product.status == filters.status)
        condition = matching(search)
        if condition is not None:
            conditions.append(condition)
        return conditions


class VariantRepository(CatalogRows):
    async def by_slug(self, slug: str) -> Variant | None:
        found = await self.session.execute(
            select(Variant).options(*WITH_PRODUCT).where(Variant.slug == slug)
        )
        return found.unique().scalar_one_or_none()

    async def sku_taken(self, sku: str, *, except_id: uuid.UUID | None = None) -> bool:
        statement = select(Variant.id).where(func.upper(Variant.sku) == sku.upper())
        if except_id:
            statement = statement.where(Variant.id != except_id)
        return (await self.session.execute(statement)).first() is not None

    def listing(self, product: str | None, search: str | None, ordering: str | None) -> Select[Any]:
        statement = select(Variant).options(*WITH_PRODUCT)
        if product:
            statement = statement.join(Product, Variant.product_id == Product.id).where(
                Product.slug == product
            )
        # Literal match: "%" and "_" are not wildcards (they matched every variant before).
        statement = apply_search(statement, search, [Variant.name, Variant.sku])
        return apply_ordering(
            statement, ordering, VARIANT_ORDERING, [Variant.created_at, Variant.id]
        )
