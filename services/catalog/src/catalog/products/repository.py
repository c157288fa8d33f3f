"""Every query of products and variants: rows by slug, references by slug or id, SKUs,
and the list statements."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from catalog.fields import PG_INTEGER_MAX
from catalog.products.models import Product, Variant
from catalog.products.schemas import ProductFilters
from catalog.products.search import MATCHING, search_pattern
from catalog.slugs import unique_slug
from catalog.taxonomy.models import Brand, Category, Department, Subcategory
from common.pagination import (
    PageParams,
    apply_ordering,
    apply_search,
    counted_listing,
    ordering_key,
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
        self,
        listing: Select[Any],
        count: Select[Any],
        values: dict[str, Any],
        params: PageParams,
    ) -> tuple[int, list[dict[str, Any]]]:
        """The page's rows as dicts and the total, in one statement (``counted_listing``)."""
        return await paginate_counted(self.session, listing, count, params, values)


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

    @staticmethod
    def listing(
        filters: ProductFilters, search: str | None, ordering: str | None
    ) -> tuple[Select[Any], Select[Any], dict[str, Any]]:
        """The page's statement (``LISTED`` columns, read by ``ProductOut``, and the total),
        the count alone, and their bound values."""
        values = _filter_values(filters, search)
        order = ordering_key(ordering, PRODUCT_ORDERING)
        listing, count = _product_listing(frozenset(values), order)
        return listing, count, values


def _filter_values(filters: ProductFilters, search: str | None) -> dict[str, Any]:
    """The filters the request sets, each named as its bound parameter in ``_conditions``."""
    values: dict[str, Any] = {}
    brand = filters.brand
    if brand:
        if brand.isascii() and brand.isdigit() and int(brand) <= PG_INTEGER_MAX:
            values["brand_id"] = int(brand)
        else:
            values["brand_slug"] = brand
    for name in ("department", "category", "subcategory", "min_price", "max_price", "status"):
        value = getattr(filters, name)
        if value is not None and value != "":
            values[name] = value
    pattern = search_pattern(search)
    if pattern is not None:
        values["search"] = pattern
    return values


# Each filter's condition on ``products``, its value the bound parameter of its name.
_CONDITIONS: dict[str, ColumnElement[bool]] = {
    "brand_id": Product.brand_id == bindparam("brand_id"),
    "brand_slug": Product.brand_id.in_(
        select(Brand.id).where(Brand.slug == bindparam("brand_slug"))
    ),
    "department": Product.department_id.in_(
        select(Department.id).where(Department.slug == bindparam("department"))
    ),
    "category": Product.category_id.in_(
        select(Category.id).where(Category.slug == bindparam("category"))
    ),
    "subcategory": Product.subcategory_id.in_(
        select(Subcategory.id).where(Subcategory.slug == bindparam("subcategory"))
    ),
    "min_price": Product.base_price >= bindparam("min_price"),
    "max_price": Product.base_price <= bindparam("max_price"),
    "status": Product.status == bindparam("status"),
    "search": MATCHING,
}
DEFAULT_ORDER = (Product.created_at.desc(), Product.id)


@functools.lru_cache(maxsize=2048)
def _product_listing(
    shape: frozenset[str], order: tuple[str, ...]
) -> tuple[Select[Any], Select[Any]]:
    """The list's statements for one shape — which filters are set, the ordering — built
    once: a page then costs binding its values, not building and keying a statement (a
    shape is one of 384 filter sets by 79 orderings; the cache holds the 2,048 last used)."""
    conditions = [condition for name, condition in _CONDITIONS.items() if name in shape]
    count = select(func.count()).select_from(Product).where(*conditions)
    statement = apply_ordering(
        LIST_BASE.where(*conditions), ",".join(order), PRODUCT_ORDERING, DEFAULT_ORDER
    )
    return counted_listing(statement, count), count


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
