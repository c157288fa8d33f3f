"""Seed 000 product and variant routes: public read, system_admin writes, slugs as keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from catalog.deps import (
    ProductReaderDep,
    ProductServiceDep,
    VariantReaderDep,
    VariantServiceDep,
)
from catalog.fields import Price
from catalog.products.models import ProductStatus
from catalog.products.schemas import (
    ProductFilters,
    ProductIn,
    ProductOut,
    ProductUpdate,
    VariantIn,
    VariantOut,
    VariantUpdate,
)
from common.openapi import described
from common.pagination import Page, PageDep
from common.routing import put_and_patch
from common.security import AdminUser

products = APIRouter(prefix="/api/products", tags=["products"])
variants = APIRouter(prefix="/api/variants", tags=["variants"])
NO_PRODUCT = described(r404="No such product")
NO_VARIANT = described(r404="No such variant")


@products.get("", summary="List products: brand, taxonomy, price, status filters; search; ordering")
async def list_products(
    service: ProductReaderDep,
    page: PageDep,
    brand: Annotated[str | None, Query(description="Brand id or slug")] = None,
    department: Annotated[str | None, Query(description="Department slug")] = None,
    category: Annotated[str | None, Query(description="Category slug")] = None,
    subcategory: Annotated[str | None, Query(description="Subcategory slug")] = None,
    min_price: Annotated[Price | None, Query()] = None,
    max_price: Annotated[Price | None, Query()] = None,
    status: Annotated[ProductStatus | None, Query()] = None,
    search: Annotated[
        str | None, Query(description="Name, description or SKU; case- and accent-insensitive")
    ] = None,
    ordering: Annotated[
        str | None, Query(description="price, -price, name, -name, date_created, -date_created")
    ] = None,
) -> Page[ProductOut]:
    filters = ProductFilters(brand, department, category, subcategory, min_price, max_price, status)
    return await service.list(page, filters=filters, search=search, ordering=ordering)


@products.post(
    "",
    status_code=201,
    summary="Create a product (system_admin); its slug is made from the name",
)
async def create_product(
    body: ProductIn, actor: AdminUser, service: ProductServiceDep
) -> ProductOut:
    return ProductOut.model_validate(await service.create(body, actor))


@products.get("/{slug}", summary="Retrieve a product by slug", responses=NO_PRODUCT)
async def get_product(slug: str, service: ProductReaderDep) -> ProductOut:
    return ProductOut.model_validate(await service.get(slug))


async def update_product(
    slug: str, body: ProductUpdate, actor: AdminUser, service: ProductServiceDep
) -> ProductOut:
    return ProductOut.model_validate(await service.update(slug, body, actor))


put_and_patch(
    products,
    "/{slug}",
    update_product,
    summary="Update a product's fields (those sent; the slug never changes); "
    "a price change publishes catalog.product.price_changed",
    responses=NO_PRODUCT,
    response_model=ProductOut,
)


@products.delete(
    "/{slug}",
    status_code=204,
    summary="Delete a product (409 while it has variants or spares name it)",
    responses={**NO_PRODUCT, **described(r409="Variants or spares still refer to it")},
)
async def delete_product(slug: str, actor: AdminUser, service: ProductServiceDep) -> Response:
    await service.delete(slug, actor)
    return Response(status_code=204)


@variants.get("", summary="List variants (filter by product slug)")
async def list_variants(
    service: VariantReaderDep,
    page: PageDep,
    product: Annotated[str | None, Query(description="Product slug")] = None,
    search: Annotated[str | None, Query(description="Name or SKU")] = None,
    ordering: Annotated[str | None, Query(description="name, sku, date_created")] = None,
) -> Page[VariantOut]:
    return await service.list(page, product=product, search=search, ordering=ordering)


@variants.post(
    "",
    status_code=201,
    summary="Create a variant with its own SKU (system_admin)",
    responses=described(r409="SKU taken"),
)
async def create_variant(
    body: VariantIn, actor: AdminUser, service: VariantServiceDep
) -> VariantOut:
    return VariantOut.model_validate(await service.create(body, actor))


@variants.get("/{slug}", summary="Retrieve a variant", responses=NO_VARIANT)
async def get_variant(slug: str, service: VariantReaderDep) -> VariantOut:
    return VariantOut.model_validate(await service.get(slug))


async def update_variant(
    slug: str, body: VariantUpdate, actor: AdminUser, service: VariantServiceDep
) -> VariantOut:
    return VariantOut.model_validate(await service.update(slug, body, actor))


put_and_patch(
    variants,
    "/{slug}",
    update_variant,
    summary="Update a variant's fields (those sent; the slug never changes)",
    responses={**NO_VARIANT, **described(r409="SKU taken")},
    response_model=VariantOut,
)


@variants.delete("/{slug}", status_code=204, summary="Delete a variant", responses=NO_VARIANT)
async def delete_variant(slug: str, actor: AdminUser, service: VariantServiceDep) -> Response:
    await service.delete(slug, actor)
    return Response(status_code=204)


routers = [products, variants]
