"""Seed 000 product and variant routes: public read, system_admin writes, slugs as keys.

``POST /api/products`` also admits a service token with ``products:create`` (inventory
creating a product first seen on a manifest: ``gateway.service_calls``), and honours an
``Idempotency-Key``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

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
from common.roles import Caller, Role
from common.routing import put_and_patch
from common.security import AdminUser, require_scopes

products = APIRouter(prefix="/api/products", tags=["products"])
variants = APIRouter(prefix="/api/variants", tags=["variants"])
NO_PRODUCT = described(r404="No such product")
NO_VARIANT = described(r404="No such variant")
PRODUCTS_CREATE = "products:create"
# A system admin, or a service granted products:create (inventory's intake).
ProductCreator = Annotated[
    Caller, Depends(require_scopes(PRODUCTS_CREATE, or_roles=[Role.system_admin]))
]
ProductKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="A client's key for this creation: the same key and body again answer "
        "the product it made (200), another body is a 422, the key still in flight a 409",
        openapi_examples={
            "retry": {
                "summary": "Send the same key again when the answer got lost",
                "value": "3f1b9c52-6d0e-4f7a-9b3e-2c8d5a7e1f04",
            },
            "intake": {
                "summary": "What inventory sends for a manifest row (common.idempotency.derived_key)",
                "value": "inventory-intake-product:"
                "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8",
            },
        },
    ),
]


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
    summary="Create a product (system_admin, or a service with products:create); its slug is "
    "made from the name; publishes catalog.product.created",
    description="Send an `Idempotency-Key` so that a retry is safe: the same key and body "
    "answer the product the first request created (200, same id, no second event), the same "
    "key with another body is a 422 naming the key. Inventory's intake sends a key derived "
    "from the manifest row it creates the product for.",
    responses={
        200: {
            "description": "The product this Idempotency-Key created before (a retry)",
            "model": ProductOut,
        },
        **described(
            r403="Neither a system_admin nor a service token with products:create",
            r409="The Idempotency-Key is in use by a request still in flight",
            r422="Invalid body or references, or the Idempotency-Key used with another body",
        ),
    },
)
async def create_product(
    body: ProductIn,
    actor: ProductCreator,
    service: ProductServiceDep,
    response: Response,
    idempotency_key: ProductKey = None,
) -> ProductOut:
    product, created = await service.create(body, actor, idempotency_key)
    if not created:
        response.status_code = 200
    return ProductOut.model_validate(product)


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
