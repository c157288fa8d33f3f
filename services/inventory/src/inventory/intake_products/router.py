"""Seed 002 /api/inventory/products (staff): catalog's products with inventory's matching
metadata; a new product is created in catalog (as inventory) before its metadata is kept."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import StaffUser
from inventory.deps import IntakeProductServiceDep
from inventory.intake_products.schemas import ProductIn, ProductOut, ProductUpdate

router = APIRouter(prefix="/api/inventory/products", tags=["intake products"])
NOT_FOUND = described(r404="No matching metadata for this product")


@router.get("", summary="List intake products (catalog products with matching metadata)")
async def list_products(
    _: StaffUser,
    products: IntakeProductServiceDep,
    page: PageDep,
    category: Annotated[uuid.UUID | None, Query(description="Intake category id")] = None,
    search: Annotated[str | None, Query(description="Name, brand, model, alias or UPC")] = None,
) -> Page[ProductOut]:
    return page_of(
        ProductOut, await products.listing(category=category, search=search, page=page), page
    )


@router.post(
    "",
    status_code=201,
    summary="Add matching metadata to a catalog product, or create the product in catalog first",
    responses=described(
        r409="The product already has metadata, or a UPC names another product",
        r503="Catalog is not configured or did not answer (nothing was written)",
    ),
)
async def create_product(
    body: ProductIn,
    _: StaffUser,
    products: IntakeProductServiceDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=200,
            description="The same key and body answer the product made before (catalog keeps one product per key)",
        ),
    ] = None,
) -> ProductOut:
    return ProductOut.model_validate(await products.create(body, idempotency_key=idempotency_key))


@router.get("/{product_id}", summary="Retrieve an intake product", responses=NOT_FOUND)
async def get_product(
    product_id: uuid.UUID, _: StaffUser, products: IntakeProductServiceDep
) -> ProductOut:
    return ProductOut.model_validate(await products.get(product_id))


async def update_product(
    product_id: uuid.UUID, body: ProductUpdate, _: StaffUser, products: IntakeProductServiceDep
) -> ProductOut:
    return ProductOut.model_validate(await products.update(product_id, body))


put_and_patch(
    router,
    "/{product_id}",
    update_product,
    summary="Update the matching metadata (UPCs replace the old list)",
    responses={**NOT_FOUND, **described(r409="A UPC names another product")},
)


@router.delete(
    "/{product_id}",
    status_code=204,
    summary="Remove the matching metadata and vendor refs (the product stays in catalog)",
    responses=NOT_FOUND,
)
async def delete_product(
    product_id: uuid.UUID, _: StaffUser, products: IntakeProductServiceDep
) -> Response:
    await products.delete(product_id)
    return Response(status_code=204)
