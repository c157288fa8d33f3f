"""Seed 000 /api/serials: register and manage serial numbers (system_admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import AdminUser
from inventory.deps import SerialServiceDep
from inventory.serials.models import SerialStatus
from inventory.serials.repository import SerialFilters
from inventory.serials.schemas import SerialIn, SerialOut, SerialUpdate

router = APIRouter(prefix="/api/serials", tags=["serials"])
NOT_FOUND = described(r404="No such serial")


@router.get("", summary="List serial numbers (filters: sku, status, location, search)")
async def list_serials(
    _: AdminUser,
    serials: SerialServiceDep,
    page: PageDep,
    sku: Annotated[str | None, Query()] = None,
    status: Annotated[SerialStatus | None, Query()] = None,
    location: Annotated[uuid.UUID | None, Query(description="Location id")] = None,
    search: Annotated[str | None, Query(description="Part of a serial number")] = None,
) -> Page[SerialOut]:
    filters = SerialFilters(sku=sku, status=status, location=location, search=search)
    return page_of(SerialOut, await serials.listing(filters, page), page)


@router.post(
    "",
    status_code=201,
    summary="Register a serial number (unique per product)",
    responses=described(r409="Serial already registered for this product"),
)
async def create_serial(body: SerialIn, _: AdminUser, serials: SerialServiceDep) -> SerialOut:
    return SerialOut.with_history(await serials.create(body))


@router.get("/{serial_id}", summary="Retrieve a serial with its history", responses=NOT_FOUND)
async def get_serial(serial_id: uuid.UUID, _: AdminUser, serials: SerialServiceDep) -> SerialOut:
    return SerialOut.with_history(await serials.get_with_history(serial_id))


async def update_serial(
    serial_id: uuid.UUID, body: SerialUpdate, _: AdminUser, serials: SerialServiceDep
) -> SerialOut:
    return SerialOut.with_history(await serials.update(serial_id, body))


put_and_patch(
    router,
    "/{serial_id}",
    update_serial,
    summary="Correct a serial number, or change its status or location (recorded in its history)",
    responses={**NOT_FOUND, **described(r409="Serial number taken for this product")},
)


@router.delete(
    "/{serial_id}",
    status_code=204,
    summary="Delete a serial registered by mistake (one that moved with stock is scrapped instead)",
    responses={**NOT_FOUND, **described(r409="The serial has moved with stock entries")},
)
async def delete_serial(serial_id: uuid.UUID, _: AdminUser, serials: SerialServiceDep) -> Response:
    await serials.delete(serial_id)
    return Response(status_code=204)
