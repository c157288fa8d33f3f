"""Seed 002 /api/consignment/my (Consignee): a consignee's own items, payouts and summary."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from common.openapi import described
from common.pagination import Page, PageDep
from common.roles import Principal, Role
from common.security import require_roles
from pos.consigned.schemas import ConsignedItemOut
from pos.consignment.models import ConsignedStatus, PayoutStatus
from pos.deps import PortalServiceDep
from pos.pages import page_of
from pos.payouts.schemas import PayoutOut
from pos.portal.schemas import SummaryOut

router = APIRouter(prefix="/api/consignment/my", tags=["consignment: portal"])
ConsigneeUser = Annotated[Principal, Depends(require_roles(Role.consignee))]


@router.get("/items", summary="Your consigned items: status, list price, sold price, your share")
async def my_items(
    _: ConsigneeUser,
    portal: PortalServiceDep,
    page: PageDep,
    status: Annotated[ConsignedStatus | None, Query(description="on_floor, sold, returned")] = None,
) -> Page[ConsignedItemOut]:
    return page_of(ConsignedItemOut, await portal.items_of_mine(page, status=status), page)


@router.get(
    "/items/{consigned_id}",
    summary="One of your consigned items",
    responses=described(r404="No such item of yours"),
)
async def my_item(
    consigned_id: uuid.UUID, _: ConsigneeUser, portal: PortalServiceDep
) -> ConsignedItemOut:
    return ConsignedItemOut.model_validate(await portal.item_of_mine(consigned_id))


@router.get("/payouts", summary="Your payouts")
async def my_payouts(
    _: ConsigneeUser,
    portal: PortalServiceDep,
    page: PageDep,
    status: Annotated[
        PayoutStatus | None, Query(description="pending, paid, carried_forward")
    ] = None,
) -> Page[PayoutOut]:
    return page_of(PayoutOut, await portal.payouts_of_mine(page, status=status), page)


@router.get("/summary", summary="Items on the floor, sold this month, owed now, paid to date")
async def my_summary(_: ConsigneeUser, portal: PortalServiceDep) -> SummaryOut:
    return await portal.summary()
