"""/api/pos/stores: the stores POS sells in (staff, their own) and each one's tax rate
(set by a system admin)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import AdminUser, StaffUser
from pos.models import Store
from pos.shops.schemas import StoreOut, StoreTaxIn
from pos.shops.service import ShopService

router = APIRouter(prefix="/api/pos/stores", tags=["stores"])
NOT_FOUND = described(r404="POS knows no such store", r403="Not one of your stores")


@router.get("", summary="The stores you sell in, with their tax rate")
async def list_stores(actor: StaffUser, session: SessionDep, page: PageDep) -> Page[StoreOut]:
    statement = ShopService(session, actor).listing().order_by(Store.code, Store.id)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [StoreOut.of(row) for row in rows], page)


@router.get("/{store_id}", summary="One store with its tax rate", responses=NOT_FOUND)
async def get_store(store_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> StoreOut:
    return StoreOut.of(await ShopService(session, actor).get(store_id))


@router.patch(
    "/{store_id}",
    summary="Set a store's sales tax rate (system admin); carts take it when they complete",
    responses=NOT_FOUND,
)
async def set_tax_rate(
    store_id: uuid.UUID, body: StoreTaxIn, actor: AdminUser, session: SessionDep
) -> StoreOut:
    return StoreOut.of(await ShopService(session, actor).set_tax(store_id, body))
