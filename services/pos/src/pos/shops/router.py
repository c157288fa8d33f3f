"""/api/pos/stores: the stores POS sells in (staff, their own) and each one's tax rate
(set by a system admin)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from common.openapi import described
from common.pagination import Page, PageDep
from common.security import AdminUser, StaffUser
from pos.deps import ShopServiceDep
from pos.pages import page_of
from pos.shops.schemas import StoreOut, StoreTaxIn

router = APIRouter(prefix="/api/pos/stores", tags=["stores"])
NOT_FOUND = described(r404="POS knows no such store", r403="Not one of your stores")


@router.get("", summary="The stores you sell in, with their tax rate")
async def list_stores(_: StaffUser, shops: ShopServiceDep, page: PageDep) -> Page[StoreOut]:
    return page_of(StoreOut, await shops.listing(page), page)


@router.get("/{store_id}", summary="One store with its tax rate", responses=NOT_FOUND)
async def get_store(store_id: uuid.UUID, _: StaffUser, shops: ShopServiceDep) -> StoreOut:
    return StoreOut.model_validate(await shops.get(store_id))


@router.patch(
    "/{store_id}",
    summary="Set a store's sales tax rate (system admin); carts take it when they complete",
    responses=NOT_FOUND,
)
async def set_tax_rate(
    store_id: uuid.UUID, body: StoreTaxIn, _: AdminUser, shops: ShopServiceDep
) -> StoreOut:
    return StoreOut.model_validate(await shops.set_tax(store_id, body))
