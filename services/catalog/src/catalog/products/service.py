"""Product and variant rules: taxonomy consistency, immutable slugs, unique SKUs, price-change events."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.crud import MAX_ID
from catalog.events import money, product_payload, publish, variant_payload
from catalog.models import Brand, Category, Department, Product, Quality, Subcategory, Unit, Variant
from catalog.products.schemas import ProductIn, ProductUpdate, VariantIn, VariantUpdate
from catalog.products.search import apply_product_search, refresh_search_text
from catalog.slugs import refuse_slug_change, unique_slug
from common.errors import Conflict, NotFound, field_error
from common.roles import Principal

PRODUCT_FIELDS = ("name", "description", "base_price", "currency", "status", "attributes", "images")


async def _id_by_slug(session: AsyncSession, model: Any, field: str, slug: str) -> int:
    found = (await session.execute(select(model.id).where(model.slug == slug))).scalar_one_or_none()
    if found is None:
        raise field_error(field, f"No {field} with slug '{slug}'.")
    return int(found)


class ProductService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, slug: str) -> Product:
        product = (
            (await self.session.execute(select(Product).where(Product.slug == slug)))
            .unique()
            .scalar_one_or_none()
        )
        if product is None:
            raise NotFound(f"No product with slug '{slug}'.")
        return product

    async def _place(self, product: Product, values: dict[str, Any]) -> None:
        """Resolve brand and taxonomy references and keep them consistent with each other."""
        if "brand" in values:
            brand_id = values.pop("brand")
            if brand_id is not None and await self.session.get(Brand, brand_id) is None:
                raise field_error("brand", f"No brand with id {brand_id}.")
            product.brand_id = brand_id
        for field, model in (
            ("department", Department),
            ("category", Category),
            ("subcategory", Subcategory),
        ):
            if field in values:
                slug = values.pop(field)
                setattr(
                    product,
                    f"{field}_id",
                    None if slug is None else await _id_by_slug(self.session, model, field, slug),
                )
        if product.subcategory_id is not None:
            sub = await self.session.get(Subcategory, product.subcategory_id)
            assert sub is not None
            if product.category_id is None:
                product.category_id = sub.category_id
            elif product.category_id != sub.category_id:
                raise field_error(
                    "subcategory", "This subcategory does not belong to the given category."
                )
        if product.category_id is not None:
            category = await self.session.get(Category, product.category_id)
            assert category is not None
            if product.department_id is None:
                product.department_id = category.department_id
            elif product.department_id != category.department_id:
                raise field_error(
                    "category", "This category does not belong to the given department."
                )

    async def create(self, body: ProductIn, actor: Principal) -> Product:
        values = body.model_dump(mode="json")
        product = Product(**{field: values[field] for field in PRODUCT_FIELDS})
        product.base_price = body.base_price
        await self._place(product, values)
        product.slug = await unique_slug(self.session, Product, body.name, max_length=200)
        await refresh_search_text(self.session, product)
        self.session.add(product)
        await self.session.flush()
        product = await self.get(product.slug)
        await publish(
            self.session, "catalog.product.created", product_payload(product), actor.user_id
        )
        return product

    async def update(self, slug: str, body: ProductUpdate, actor: Principal) -> Product:
        product = await self.get(slug)
        values = body.model_dump(exclude_unset=True, mode="json")
        refuse_slug_change(values, product.slug)
        for field in (
            "name",
            "base_price",
            "currency",
            "status",
            "attributes",
            "images",
            "description",
        ):
            if field in values and values[field] is None:
                raise field_error(field, "may not be null")
        old_price = product.base_price
        if "base_price" in values:
            values["base_price"] = body.base_price
        await self._place(product, values)
        for field in PRODUCT_FIELDS:
            if field in values:
                setattr(product, field, values[field])
        await refresh_search_text(self.session, product)
        await self.session.flush()
        # Reload brand/taxonomy too: the response and the event must show the new placement.
        await self.session.refresh(product)
        product = await self.get(slug)
        changed = sorted(set(body.model_fields_set) - {"slug"})
        await publish(
            self.session,
            "catalog.product.updated",
            {**product_payload(product), "changed": changed},
            actor.user_id,
        )
        if "base_price" in values and Decimal(old_price) != Decimal(product.base_price):
            await publish(
                self.session,
                "catalog.product.price_changed",
                {
                    **product_payload(product),
                    "old_price": money(old_price),
                    "new_price": money(product.base_price),
                    "changed_by": actor.user_id,
                },
                actor.user_id,
            )
        return product

    async def delete(self, slug: str, actor: Principal) -> None:
        product = await self.get(slug)
        variants = (
            await self.session.execute(
                select(func.count()).select_from(Variant).where(Variant.product_id == product.id)
            )
        ).scalar_one()
        if variants:
            raise Conflict(
                f"Cannot delete product '{slug}': it still has {variants} variants. Delete them first."
            )
        payload = product_payload(product)
        await self.session.delete(product)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise Conflict(
                f"Cannot delete product '{slug}': spares or other records still refer to it."
            ) from exc
        await publish(self.session, "catalog.product.deleted", payload, actor.user_id)

    @staticmethod
    def listing(filters: dict[str, Any], search: str | None) -> Select[Any]:
        statement = select(Product)
        brand = filters.get("brand")
        if brand:
            if str(brand).isascii() and str(brand).isdigit() and int(brand) <= MAX_ID:
                statement = statement.where(Product.brand_id == int(brand))
            else:
                statement = statement.where(
                    Product.brand_id.in_(select(Brand.id).where(Brand.slug == brand))
                )
        for field, model, column in (
            ("department", Department, Product.department_id),
            ("category", Category, Product.category_id),
            ("subcategory", Subcategory, Product.subcategory_id),
        ):
            if filters.get(field):
                statement = statement.where(
                    column.in_(select(model.id).where(model.slug == filters[field]))
                )
        if filters.get("min_price") is not None:
            statement = statement.where(Product.base_price >= filters["min_price"])
        if filters.get("max_price") is not None:
            statement = statement.where(Product.base_price <= filters["max_price"])
        if filters.get("status"):
            statement = statement.where(Product.status == filters["status"])
        return apply_product_search(statement, search)


class VariantService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, slug: str) -> Variant:
        variant = (
            (await self.session.execute(select(Variant).where(Variant.slug == slug)))
            .unique()
            .scalar_one_or_none()
        )
        if variant is None:
            raise NotFound(f"No variant with slug '{slug}'.")
        return variant

    async def _sku_free(self, sku: str, except_id: uuid.UUID | None = None) -> None:
        statement = select(Variant.id).where(func.upper(Variant.sku) == sku.upper())
        if except_id:
            statement = statement.where(Variant.id != except_id)
        if (await self.session.execute(statement)).first():
            raise field_error(
                "sku", f"SKU {sku} is already used by another variant.", status=Conflict
            )

    async def _refs(self, variant: Variant, values: dict[str, Any]) -> None:
        for field, model in (("unit", Unit), ("quality", Quality)):
            if field in values:
                slug = values.pop(field)
                setattr(
                    variant,
                    f"{field}_id",
                    None if slug is None else await _id_by_slug(self.session, model, field, slug),
                )

    async def create(self, body: VariantIn, actor: Principal) -> Variant:
        try:
            product = await ProductService(self.session).get(body.product)
        except NotFound as exc:  # a reference in the body, not the URL: 422 naming the field
            raise field_error("product", f"No product with slug '{body.product}'.") from exc
        sku = body.sku.upper()
        await self._sku_free(sku)
        variant = Variant(
            product_id=product.id,
            name=body.name,
            sku=sku,
            price_override=body.price_override,
            attributes=body.attributes,
            is_active=body.is_active,
        )
        await self._refs(variant, body.model_dump(include={"unit", "quality"}))
        variant.slug = await unique_slug(self.session, Variant, body.name, max_length=200)
        self.session.add(variant)
        await self.session.flush()
        await refresh_search_text(self.session, product)
        variant = await self.get(variant.slug)
        await publish(
            self.session, "catalog.variant.created", variant_payload(variant), actor.user_id
        )
        return variant

    async def update(self, slug: str, body: VariantUpdate, actor: Principal) -> Variant:
        variant = await self.get(slug)
        values = body.model_dump(exclude_unset=True)
        refuse_slug_change(values, variant.slug)
        for field in ("name", "sku", "attributes", "is_active"):
            if field in values and values[field] is None:
                raise field_error(field, "may not be null")
        if values.get("sku"):
            values["sku"] = values["sku"].upper()
            await self._sku_free(values["sku"], except_id=variant.id)
        old_price = variant.price_override
        await self._refs(variant, values)
        for field, value in values.items():
            setattr(variant, field, value)
        await self.session.flush()
        await self.session.refresh(variant)  # the new unit/quality in the response and event
        await refresh_search_text(self.session, variant.product)
        variant = await self.get(slug)
        await publish(
            self.session,
            "catalog.variant.updated",
            {
                **variant_payload(variant),
                "changed": sorted(set(body.model_fields_set) - {"slug"}),
                "old_price_override": money(old_price),
            },
            actor.user_id,
        )
        return variant

    async def delete(self, slug: str, actor: Principal) -> None:
        variant = await self.get(slug)
        payload = variant_payload(variant)
        product = variant.product
        await self.session.delete(variant)
        await self.session.flush()
        await refresh_search_text(self.session, product)
        await publish(self.session, "catalog.variant.deleted", payload, actor.user_id)

    @staticmethod
    def listing(product: str | None, search: str | None) -> Select[Any]:
        statement = select(Variant)
        if product:
            statement = statement.join(Product, Variant.product_id == Product.id).where(
                Product.slug == product
            )
        if search and search.strip():
            pattern = f"%{search.strip()}%"
            statement = statement.where(Variant.name.ilike(pattern) | Variant.sku.ilike(pattern))
        return statement
