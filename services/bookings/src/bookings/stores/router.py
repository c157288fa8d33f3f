"""/api/bookings/stores: the stores one can book at (public), and their booking hours
(system admin)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from bookings.deps import StoreServiceDep
from bookings.stores.schemas import StoreHoursUpdate, StoreOut
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.routing import put_and_patch
from common.security import AdminUser

router = APIRouter(prefix="/api/bookings/stores", tags=["stores"])


@router.get("", summary="List the stores one can book at, with their hours and time zone")
async def list_stores(
    stores: StoreServiceDep, session: SessionDep, page: PageDep
) -> Page[StoreOut]:
    count, rows = await paginate(session, stores.listing(), page)
    return make_page(count, [StoreOut.model_validate(row) for row in rows], page)


async def set_store_hours(
    store_id: uuid.UUID, body: StoreHoursUpdate, admin: AdminUser, stores: StoreServiceDep
) -> StoreOut:
    return StoreOut.model_validate(await stores.set_hours(store_id, body, actor=admin.user_id))


put_and_patch(
    router,
    "/{store_id}",
    set_store_hours,
    summary="Set a store's booking hours (system admin)",
    responses=described(r404="No such store (catalog never announced it)"),
    response_model=StoreOut,
)
