"""Seed 002 /api/inventory/product-refs (staff): vendor item numbers → products."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import StaffUser
from inventory.deps import RefServiceDep
from inventory.product_refs.schemas import RefIn, RefOut, RefUpdate

router = APIRouter(prefix="/api/inventory/product-refs", tags=["intake products"])
NOT_FOUND = described(r404="No such product ref")
TAKEN = described(r409="The vendor's item number already names a product")


@router.get("", summary="List vendor product refs")
async def list_refs(
    _: StaffUser,
    refs: RefServiceDep,
    page: PageDep,
    vendor: Annotated[uuid.UUID | None, Query(description="Vendor id")] = None,
    product: Annotated[uuid.UUID | None, Query(description="Product id")] = None,
    search: Annotated[str | None, Query(description="Vendor item number")] = None,
) -> Page[RefOut]:
    found = await refs.listing(vendor=vendor, product=product, search=search, page=page)
    return page_of(RefOut, found, page)


@router.post("", status_code=201, summary="Create a vendor product ref", responses=TAKEN)
async def create_ref(body: RefIn, _: StaffUser, refs: RefServiceDep) -> RefOut:
    return RefOut.model_validate(await refs.create(body))


@router.get("/{ref_id}", summary="Retrieve a vendor product ref", responses=NOT_FOUND)
async def get_ref(ref_id: uuid.UUID, _: StaffUser, refs: RefServiceDep) -> RefOut:
    return RefOut.model_validate(await refs.get(ref_id))


async def update_ref(
    ref_id: uuid.UUID, body: RefUpdate, _: StaffUser, refs: RefServiceDep
) -> RefOut:
    return RefOut.model_validate(await refs.update(ref_id, body))


put_and_patch(
    router,
    "/{ref_id}",
    update_ref,
    summary="Update a vendor product ref",
    responses={**NOT_FOUND, **TAKEN},
)


@router.delete(
    "/{ref_id}", status_code=204, summary="Delete a vendor product ref", responses=NOT_FOUND
)
async def delete_ref(ref_id: uuid.UUID, _: StaffUser, refs: RefServiceDep) -> Response:
    await refs.delete(ref_id)
    return Response(status_code=204)
