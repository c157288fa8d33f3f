"""Seed 000 /api/serials: register and manage serial numbers (system_admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import AdminUser
from inventory.serials.schemas import SerialIn, SerialOut, SerialStatus, SerialUpdate
from inventory.serials.service import SerialService

router = APIRouter(prefix="/api/serials", tags=["serials"])
NOT_FOUND = described(r404="No such serial")


@router.get("", summary="List serial numbers (filters: sku, status, location, search)")
async def list_serials(
    actor: AdminUser,
    session: SessionDep,
    page: PageDep,
    sku: Annotated[str | None, Query()] = None,
    status: Annotated[SerialStatus | None, Query()] = None,
    location: Annotated[uuid.UUID | None, Query(description="Location id")] = None,
    search: Annotated[str | None, Query(description="Part of a serial number")] = None,
) -> Page[SerialOut]:
    statement = SerialService.listing(sku=sku, status=status, location=location, search=search)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [SerialOut.of(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Register a serial number (unique per product)",
    responses=described(r409="Serial already registered for this product"),
)
async def create_serial(body: SerialIn, actor: AdminUser, session: SessionDep) -> SerialOut:
    service = SerialService(session, actor.user_id)
    serial = await service.create(body)
    return SerialOut.of(serial, await service.history_of(serial))


@router.get("/{serial_id}", summary="Retrieve a serial with its history", responses=NOT_FOUND)
async def get_serial(serial_id: uuid.UUID, actor: AdminUser, session: SessionDep) -> SerialOut:
    service = SerialService(session, actor.user_id)
    serial = await service.get(serial_id)
    return SerialOut.of(serial, await service.history_of(serial))


async def update_serial(
    serial_id: uuid.UUID, body: SerialUpdate, actor: AdminUser, session: SessionDep
) -> SerialOut:
    service = SerialService(session, actor.user_id)
    serial = await service.update(serial_id, body)
    return SerialOut.of(serial, await service.history_of(serial))


for method in ("PUT", "PATCH"):
    router.add_api_route(
        "/{serial_id}",
        update_serial,
        methods=[method],
        summary="Correct a serial number, or change its status or location (recorded in its history)",
        responses={**NOT_FOUND, **described(r409="Serial number taken for this product")},
        operation_id=f"{method.lower()}_serial",
    )


@router.delete(
    "/{serial_id}",
    status_code=204,
    summary="Delete a serial registered by mistake (one that moved with stock is scrapped instead)",
    responses={**NOT_FOUND, **described(r409="The serial has moved with stock entries")},
)
async def delete_serial(serial_id: uuid.UUID, actor: AdminUser, session: SessionDep) -> Response:
    await SerialService(session, actor.user_id).delete(serial_id)
    return Response(status_code=204)
