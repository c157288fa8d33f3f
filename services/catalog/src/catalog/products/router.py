"""Seed 000 product and variant routes: public read, system_admin writes, slugs as keys."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Response

from catalog.models import Product, Variant
from catalog.products.schemas import (
    ProductIn,
    ProductOut,
    ProductStatus,
    ProductUpdate,
    VariantIn,
    VariantOut,
    VariantUpdate,
)
from catalog.products.service import ProductService, VariantService
from common.db import SessionDep
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.security import AdminUser

products = APIRouter(prefix="/api/products", tags=["products"])
variants = APIRouter(prefix="/api/variants", tags=["variants"])
PRODUCT_ORDERING = {
    "price": Product.base_price,
    "name": Product.name,
    "date_created": Product.created_at,
}


def product_out(product: Product) -> ProductOut:
    return ProductOut(
        id=product.id,
        name=product.name,
        slug=product.slug,
        description=product.description,
        brand={"id": product.brand.id, "name": product.brand.name, "slug": product.brand.slug}
        if product.brand
        else None,
        department=product.department.slug if product.department else None,
        category=product.category.slug if product.category else None,
        subcategory=product.subcategory.slug if product.subcategory else None,
        base_price=product.base_price,
        currency=product.currency,
        status=product.status,
        attributes=product.attributes,
        images=product.images,
        date_created=product.created_at,
        updated_at=product.updated_at,
    )


def variant_out(variant: Variant) -> VariantOut:
    return VariantOut(
        id=variant.id,
        product=variant.product.slug,
        name=variant.name,
        slug=variant.slug,
        sku=variant.sku,
        price_override=variant.price_override,
        price=variant.price_override
        if variant.price_override is not None
        else variant.product.base_price,
        currency=variant.product.currency,
        attributes=variant.attributes,
        unit=variant.unit.slug if variant.unit else None,
        quality=variant.quality.slug if variant.quality else None,
        is_active=variant.is_active,
        date_created=variant.created_at,
        updated_at=variant.updated_at,
    )


@products.get("", summary="List products: brand, taxonomy, price, status filters; search; ordering")
async def list_products(
    session: SessionDep,
    page: PageDep,
    brand: Annotated[str | None, Query(description="Brand id or slug")] = None,
    department: Annotated[str | None, Query(description="Department slug")] = None,
    category: Annotated[str | None, Query(description="Category slug")] = None,
    subcategory: Annotated[str | None, Query(description="Subcategory slug")] = None,
    min_price: Annotated[Decimal | None, Query(ge=0)] = None,
    max_price: Annotated[Decimal | None, Query(ge=0)] = None,
    status: Annotated[ProductStatus | None, Query()] = None,
    search: Annotated[
        str | None, Query(description="Name, description or SKU; case- and accent-insensitive")
    ] = None,
    ordering: Annotated[
        str | None, Query(description="price, -price, name, -name, date_created, -date_created")
    ] = None,
) -> Page[ProductOut]:
    filters = {
        "brand": brand,
        "department": department,
        "category": category,
        "subcategory": subcategory,
        "min_price": min_price,
        "max_price": max_price,
        "status": status.value if status else None,
    }
    statement = ProductService.listing(filters, search)
    statement = apply_ordering(
        statement, ordering, PRODUCT_ORDERING, [Product.created_at.desc(), Product.id]
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [product_out(row) for row in rows], page)


@products.post("", status_code=201, summary="Create a product (system_admin)")
async def create_product(body: ProductIn, actor: AdminUser, session: SessionDep) -> ProductOut:
    return product_out(await ProductService(session).create(body, actor))


@products.get(
    "/{slug}",
    summary="Retrieve a product by slug",
    responses={404: {"description": "No such product"}},
)
async def get_product(slug: str, session: SessionDep) -> ProductOut:
    return product_out(await ProductService(session).get(slug))


async def update_product(
    slug: str, body: ProductUpdate, actor: AdminUser, session: SessionDep
) -> ProductOut:
    return product_out(await ProductService(session).update(slug, body, actor))


products.add_api_route(
    "/{slug}",
    update_product,
    methods=["PATCH"],
    summary="Update a product (slug immutable; price change publishes catalog.product.price_changed)",
)
products.add_api_route(
    "/{slug}",
    update_product,
    methods=["PUT"],
    summary="Update a product (slug immutable)",
    operation_id="put_product",
)


@products.delete("/{slug}", status_code=204, summary="Delete a product (409 while it has variants)")
async def delete_product(slug: str, actor: AdminUser, session: SessionDep) -> Response:
    await ProductService(session).delete(slug, actor)
    return Response(status_code=204)


@variants.get("", summary="List variants (filter by product slug)")
async def list_variants(
    session: SessionDep,
    page: PageDep,
    product: Annotated[str | None, Query(description="Product slug")] = None,
    search: Annotated[str | None, Query(description="Name or SKU")] = None,
    ordering: Annotated[str | None, Query(description="name, sku, date_created")] = None,
) -> Page[VariantOut]:
    statement = apply_ordering(
        VariantService.listing(product, search),
        ordering,
        {"name": Variant.name, "sku": Variant.sku, "date_created": Variant.created_at},
        [Variant.created_at, Variant.id],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [variant_out(row) for row in rows], page)


@variants.post(
    "",
    status_code=201,
    summary="Create a variant with its own SKU (system_admin)",
    responses={409: {"description": "SKU taken"}},
)
async def create_variant(body: VariantIn, actor: AdminUser, session: SessionDep) -> VariantOut:
    return variant_out(await VariantService(session).create(body, actor))


@variants.get(
    "/{slug}", summary="Retrieve a variant", responses={404: {"description": "No such variant"}}
)
async def get_variant(slug: str, session: SessionDep) -> VariantOut:
    return variant_out(await VariantService(session).get(slug))


async def update_variant(
    slug: str, body: VariantUpdate, actor: AdminUser, session: SessionDep
) -> VariantOut:
    return variant_out(await VariantService(session).update(slug, body, actor))


variants.add_api_route(
    "/{slug}", update_variant, methods=["PATCH"], summary="Update a variant (slug immutable)"
)
variants.add_api_route(
    "/{slug}",
    update_variant,
    methods=["PUT"],
    summary="Update a variant (slug immutable)",
    operation_id="put_variant",
)


@variants.delete("/{slug}", status_code=204, summary="Delete a variant")
async def delete_variant(slug: str, actor: AdminUser, session: SessionDep) -> Response:
    await VariantService(session).delete(slug, actor)
    return Response(status_code=204)


routers = [products, variants]
