"""Seed 002 /api/inventory/vendors (staff): CRUD with soft delete through ``is_active``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.security import StaffUser
from inventory.procurement_models import Vendor
from inventory.vendors.schemas import VendorIn, VendorOut, VendorUpdate
from inventory.vendors.service import VendorService

router = APIRouter(prefix="/api/inventory/vendors", tags=["vendors"])
NOT_FOUND = described(r404="No such vendor")


@router.get("", summary="List vendors (active ones unless is_active=false is asked)")
async def list_vendors(
    actor: StaffUser,
    session: SessionDep,
    page: PageDep,
    is_active: Annotated[bool | None, Query()] = True,
    search: Annotated[str | None, Query(description="Name, code or contact")] = None,
    ordering: Annotated[str | None, Query(description="name, code, created_at")] = None,
) -> Page[VendorOut]:
    statement = apply_ordering(
        VendorService.listing(is_active, search),
        ordering,
        {"name": Vendor.name, "code": Vendor.code, "created_at": Vendor.created_at},
        [Vendor.name, Vendor.id],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [VendorOut.of(row) for row in rows], page)


@router.post("", status_code=201, summary="Create a vendor", responses=described(r409="Code taken"))
async def create_vendor(body: VendorIn, actor: StaffUser, session: SessionDep) -> VendorOut:
    return VendorOut.of(await VendorService(session).create(body))


@router.get("/{vendor_id}", summary="Retrieve a vendor", responses=NOT_FOUND)
async def get_vendor(vendor_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> VendorOut:
    return VendorOut.of(await VendorService(session).get(vendor_id))


async def update_vendor(
    vendor_id: uuid.UUID, body: VendorUpdate, actor: StaffUser, session: SessionDep
) -> VendorOut:
    return VendorOut.of(await VendorService(session).update(vendor_id, body))


for method in ("PUT", "PATCH"):
    router.add_api_route(
        "/{vendor_id}",
        update_vendor,
        methods=[method],
        summary="Update a vendor (is_active: true brings a removed vendor back)",
        responses=NOT_FOUND,
        operation_id=f"{method.lower()}_vendor",
    )


@router.delete(
    "/{vendor_id}",
    status_code=204,
    summary="Remove a vendor (soft: is_active becomes false; its orders keep it)",
    responses=NOT_FOUND,
)
async def delete_vendor(vendor_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> Response:
    await VendorService(session).remove(vendor_id)
    return Response(status_code=204)
