"""Seed 002 /api/inventory/vendors (staff): CRUD with soft delete through ``is_active``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import StaffUser
from inventory.deps import VendorServiceDep
from inventory.vendors.schemas import VendorIn, VendorOut, VendorUpdate

router = APIRouter(prefix="/api/inventory/vendors", tags=["vendors"])
NOT_FOUND = described(r404="No such vendor")


@router.get("", summary="List vendors (active ones unless is_active=false is asked)")
async def list_vendors(
    _: StaffUser,
    vendors: VendorServiceDep,
    page: PageDep,
    is_active: Annotated[bool | None, Query()] = True,
    search: Annotated[str | None, Query(description="Name, code or contact")] = None,
    ordering: Annotated[str | None, Query(description="name, code, created_at")] = None,
) -> Page[VendorOut]:
    found = await vendors.listing(is_active=is_active, search=search, ordering=ordering, page=page)
    return page_of(VendorOut, found, page)


@router.post("", status_code=201, summary="Create a vendor", responses=described(r409="Code taken"))
async def create_vendor(body: VendorIn, _: StaffUser, vendors: VendorServiceDep) -> VendorOut:
    return VendorOut.model_validate(await vendors.create(body))


@router.get("/{vendor_id}", summary="Retrieve a vendor", responses=NOT_FOUND)
async def get_vendor(vendor_id: uuid.UUID, _: StaffUser, vendors: VendorServiceDep) -> VendorOut:
    return VendorOut.model_validate(await vendors.get(vendor_id))


async def update_vendor(
    vendor_id: uuid.UUID, body: VendorUpdate, _: StaffUser, vendors: VendorServiceDep
) -> VendorOut:
    return VendorOut.model_validate(await vendors.update(vendor_id, body))


put_and_patch(
    router,
    "/{vendor_id}",
    update_vendor,
    summary="Update a vendor (is_active: true brings a removed vendor back)",
    responses={**NOT_FOUND, **described(r409="Code taken")},
)


@router.delete(
    "/{vendor_id}",
    status_code=204,
    summary="Remove a vendor (soft: is_active becomes false; its orders keep it)",
    responses=NOT_FOUND,
)
async def delete_vendor(vendor_id: uuid.UUID, _: StaffUser, vendors: VendorServiceDep) -> Response:
    await vendors.remove(vendor_id)
    return Response(status_code=204)
