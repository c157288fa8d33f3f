"""Product and variant rules: a consistent taxonomy, unique SKUs, search text kept current,
no product deleted under its variants, and the events (a price change beside the update)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.events.contracts import (
    ProductChanged,
    ProductPriceChanged,
    ProductUpdated,
    VariantChanged,
    VariantUpdated,
)
from catalog.events.outbox import outbox
from catalog.products.models import Product, Variant
from catalog.products.repository import CatalogRows, ProductRepository, VariantRepository
from catalog.products.schemas import (
    ProductFilters,
    ProductIn,
    ProductUpdate,
    VariantIn,
    VariantUpdate,
)
from catalog.products.search import search_text
from catalog.taxonomy.models import Brand, Category, Department, Quality, Subcategory, Unit
from common.errors import Conflict, NotFound, field_error
from common.idempotency import earlier_write, request_hash
from common.pagination import Page, PageParams, make_page
from common.roles import Caller, Principal
from common.updates import changes

PRODUCT_FIELDS = ("name", "description", "base_price", "currency", "status", "attributes", "images")
PLACEMENT = (("department", Department), ("category", Category), ("subcategory", Subcategory))


def product_fields(product: Product) -> dict[str, Any]:
    """The product as its events carry it."""
    return dict(
        product_id=product.id,
        slug=product.slug,
        name=product.name,
        status=product.status.value,
        base_price=product.base_price,
        currency=product.currency,
        brand=product.brand.name if product.brand else None,
        department=product.department.slug if product.department else None,
        category=product.category.slug if product.category else None,
        subcategory=product.subcategory.slug if product.subcategory else None,
    )


def variant_fields(variant: Variant) -> dict[str, Any]:
    """The variant as its events carry it (``price``: the effective price)."""
    return dict(
        variant_id=variant.id,
        slug=variant.slug,
        sku=variant.sku,
        name=variant.name,
        product_id=variant.product_id,
        product_slug=variant.product.slug,
        product_name=variant.product.name,
        price=variant.price,
        currency=variant.product.currency,
        attributes=variant.attributes,
        unit=variant.unit.slug if variant.unit else None,
        quality=variant.quality.slug if variant.quality else None,
        is_active=variant.is_active,
    )


async def referenced_id(rows: CatalogRows, model: Any, field: str, slug: str | None) -> int | None:
    """The id of the row a body field names by slug (None clears it); 422 naming the field."""
    if slug is None:
        return None
    found = await rows.id_by_slug(model, slug)
    if found is None:
        raise field_error(field, f"No {field} with slug '{slug}'.")
    return found


class ProductService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.rows = ProductRepository(session)

    async def get(self, slug: str) -> Product:
        product = await self.rows.by_slug(slug)
        if product is None:
            raise NotFound(f"No product with slug '{slug}'.")
        return product

    async def list(
        self,
        params: PageParams,
        *,
        filters: ProductFilters,
        search: str | None,
        ordering: str | None,
    ) -> Page[Any]:
        listing, counting, values = self.rows.listing(filters, search, ordering)
        count, rows = await self.rows.counted_page(listing, counting, values, params)
        return make_page(count, rows, params)

    async def create(
        self, body: ProductIn, actor: Caller, idempotency_key: str | None = None
    ) -> tuple[Product, bool]:
        """(the product, whether it is new). With ``idempotency_key``: the same key and body
        again answer the product the first request made (False, no event), another body is
        a 422 naming the key, the key held by a request still in flight a 409."""
        digest = request_hash(body)
        if idempotency_key is not None:
            earlier = await earlier_write(
                self.session,
                "catalog.products",
                idempotency_key,
                digest,
                self.rows.by_key,
                what="product",
                named=lambda product: f"product '{product.slug}'",
            )
            if earlier is not None:
                return earlier, False
        values = body.model_dump(mode="json")
        product = Product(**{field: values[field] for field in PRODUCT_FIELDS})
        product.base_price = body.base_price
        product.status = body.status
        await self._place(product, values)
        product.slug = await self.rows.new_slug(Product, body.name)
        product.search_text = search_text(product.name, product.description, [])
        product.idempotency_key = idempotency_key
        product.request_hash = digest if idempotency_key else None
        await self.rows.add(product)
        product = await self.get(product.slug)
        await outbox.publish(
            self.session,
            ProductChanged(**product_fields(product)),
            subject="catalog.product.created",
            actor=actor.user_id,
        )
        return product, True

    async def update(self, slug: str, body: ProductUpdate, actor: Principal) -> Product:
        product = await self.get(slug)
        values = body.model_dump(exclude_unset=True, mode="json")
        sent = changes(body)
        old_price = product.base_price
        if "base_price" in sent:
            values["base_price"] = sent["base_price"]
        if "status" in sent:
            values["status"] = sent["status"]
        await self._place(product, values)
        for field in PRODUCT_FIELDS:
            if field in values:
                setattr(product, field, values[field])
        await self._refresh_search_text(product)
        await self.rows.save(product)
        product = await self.get(slug)
        await outbox.publish(
            self.session,
            ProductUpdated(**product_fields(product), changed=sorted(body.model_fields_set)),
            actor=actor.user_id,
        )
        if "base_price" in values and Decimal(old_price) != Decimal(product.base_price):
            await outbox.publish(
                self.session,
                ProductPriceChanged(
                    **product_fields(product),
                    old_price=old_price,
                    new_price=product.base_price,
                    changed_by=actor.user_id,
                ),
                actor=actor.user_id,
            )
        return product

    async def delete(self, slug: str, actor: Principal) -> None:
        product = await self.get(slug)
        variants = await self.rows.variant_count(product.id)
        if variants:
            raise Conflict(
                f"Cannot delete product '{slug}': it still has {variants} variants. "
                "Delete them first."
            )
        event = ProductChanged(**product_fields(product))
        try:
            await self.rows.delete(product)
        except IntegrityError as exc:
            raise Conflict(
                f"Cannot delete product '{slug}': spares or other records still refer to it."
            ) from exc
        await outbox.publish(
            self.session, event, subject="catalog.product.deleted", actor=actor.user_id
        )

    async def refresh_search_text(self, product: Product) -> None:
        """After its variants' SKUs changed: the product is found by them."""
        await self._refresh_search_text(product)

    async def _refresh_search_text(self, product: Product) -> None:
        skus = await self.rows.skus(product.id)
        product.search_text = search_text(product.name, product.description, skus)

    async def _place(self, product: Product, values: dict[str, Any]) -> None:
        """Resolve brand and taxonomy references and keep them consistent with each other."""
        if "brand" in values:
            brand_id = values.pop("brand")
            if brand_id is not None and await self.rows.get(Brand, brand_id) is None:
                raise field_error("brand", f"No brand with id {brand_id}.")
            product.brand_id = brand_id
        for field, model in PLACEMENT:
            if field in values:
                slug = values.pop(field)
                setattr(product, f"{field}_id", await referenced_id(self.rows, model, field, slug))
        if product.subcategory_id is not None:
            sub = await self.rows.get(Subcategory, product.subcategory_id)
            if sub is None:
                raise field_error("subcategory", "This subcategory no longer exists.")
            if product.category_id is None:
                product.category_id = sub.category_id
            elif product.category_id != sub.category_id:
                raise field_error(
                    "subcategory", "This subcategory does not belong to the given category."
                )
        if product.category_id is not None:
            category = await self.rows.get(Category, product.category_id)
            if category is None:
                raise field_error("category", "This category no longer exists.")
            if product.department_id is None:
                product.department_id = category.department_id
            elif product.department_id != category.department_id:
                raise field_error(
                    "category", "This category does not belong to the given department."
                )


class VariantService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.rows = VariantRepository(session)
        self.products = ProductService(session)

    async def get(self, slug: str) -> Variant:
        variant = await self.rows.by_slug(slug)
        if variant is None:
            raise NotFound(f"No variant with slug '{slug}'.")
        return variant

    async def list(
        self, params: PageParams, *, product: str | None, search: str | None, ordering: str | None
    ) -> Page[Any]:
        count, rows = await self.rows.page(self.rows.listing(product, search, ordering), params)
        return make_page(count, rows, params)

    async def create(self, body: VariantIn, actor: Principal) -> Variant:
        try:
            product = await self.products.get(body.product)
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
        await self._refer(variant, {"unit": body.unit, "quality": body.quality})
        variant.slug = await self.rows.new_slug(Variant, body.name)
        await self.rows.add(variant)
        await self.products.refresh_search_text(product)
        variant = await self.get(variant.slug)
        await outbox.publish(
            self.session,
            VariantChanged(**variant_fields(variant)),
            subject="catalog.variant.created",
            actor=actor.user_id,
        )
        return variant

    async def update(self, slug: str, body: VariantUpdate, actor: Principal) -> Variant:
        variant = await self.get(slug)
        values = changes(body)
        if values.get("sku"):
            values["sku"] = values["sku"].upper()
            await self._sku_free(values["sku"], except_id=variant.id)
        old_price = variant.price_override
        await self._refer(variant, values)
        for field, value in values.items():
            setattr(variant, field, value)
        await self.rows.save(variant)  # the new unit/quality in the response and event
        await self.products.refresh_search_text(variant.product)
        variant = await self.get(slug)
        await outbox.publish(
            self.session,
            VariantUpdated(
                **variant_fields(variant),
                changed=sorted(body.model_fields_set),
                old_price_override=old_price,
            ),
            actor=actor.user_id,
        )
        return variant

    async def delete(self, slug: str, actor: Principal) -> None:
        variant = await self.get(slug)
        event = VariantChanged(**variant_fields(variant))
        product = variant.product
        await self.rows.delete(variant)
        await self.products.refresh_search_text(product)
        await outbox.publish(
            self.session, event, subject="catalog.variant.deleted", actor=actor.user_id
        )

    async def _sku_free(self, sku: str, except_id: Any = None) -> None:
        if await self.rows.sku_taken(sku, except_id=except_id):
            raise field_error(
                "sku", f"SKU {sku} is already used by another variant.", status=Conflict
            )

    async def _refer(self, variant: Variant, values: dict[str, Any]) -> None:
        """``unit`` / ``quality`` slugs (None clears) → their ids, popped from ``values``."""
        for field, model in (("unit", Unit), ("quality", Quality)):
            if field in values:
                slug = values.pop(field)
                setattr(variant, f"{field}_id", await referenced_id(self.rows, model, field, slug))
