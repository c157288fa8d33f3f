"""Seed 002 /api/inventory/batch-groups and the order's item steps (create-items,
check-in-items) — staff, own stores."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.security import StaffUser
from inventory.batches.models import BatchStatus
from inventory.batches.schemas import (
    BatchGroupOut,
    CheckedInOut,
    CheckInIn,
    CheckInItemsIn,
    CreatedItemsOut,
    DetachIn,
    ProcessIn,
)
from inventory.deps import BatchServiceDep, IntakeJobServiceDep
from inventory.queued.answers import ACCEPTED, answer

router = APIRouter(prefix="/api/inventory/batch-groups", tags=["batch groups"])
order_router = APIRouter(prefix="/api/inventory/orders/{order_id}", tags=["intake"])
NOT_FOUND = described(r404="No such batch group", r403="Another store's batch group")
STEP = described(
    r404="No such order", r403="Another store's order", r409="A step must come first (it is named)"
)


@router.get("", summary="List batch groups of your stores")
async def list_groups(
    _: StaffUser,
    batches: BatchServiceDep,
    page: PageDep,
    status: Annotated[BatchStatus | None, Query()] = None,
    purchase_order: Annotated[uuid.UUID | None, Query(description="Purchase order id")] = None,
    product: Annotated[uuid.UUID | None, Query(description="Product id")] = None,
) -> Page[BatchGroupOut]:
    found = await batches.listing(status=status, order=purchase_order, product=product, page=page)
    return page_of(BatchGroupOut, found, page)


@router.get("/{group_id}", summary="A batch group with its units' statuses", responses=NOT_FOUND)
async def get_group(group_id: uuid.UUID, _: StaffUser, batches: BatchServiceDep) -> BatchGroupOut:
    return BatchGroupOut.model_validate(await batches.view(group_id))


@router.post(
    "/{group_id}/process",
    summary="Apply price, condition and location to every unit in intake; the group is processed",
    responses={**NOT_FOUND, **described(r409="Checked in already")},
)
async def process_group(
    group_id: uuid.UUID, body: ProcessIn, _: StaffUser, batches: BatchServiceDep
) -> BatchGroupOut:
    return BatchGroupOut.model_validate(await batches.process(group_id, body))


@router.post(
    "/{group_id}/check-in",
    summary="Check the group's units in and put them on the shelf",
    responses={**NOT_FOUND, **described(r409="No unit in intake, or a price or location missing")},
)
async def check_in_group(
    group_id: uuid.UUID, _: StaffUser, batches: BatchServiceDep, body: CheckInIn | None = None
) -> BatchGroupOut:
    return BatchGroupOut.model_validate(await batches.check_in(group_id, body or CheckInIn()))


@router.post(
    "/{group_id}/detach",
    summary="Take one unit out of the group (it is processed on its own)",
    responses=NOT_FOUND,
)
async def detach_item(
    group_id: uuid.UUID, body: DetachIn, _: StaffUser, batches: BatchServiceDep
) -> BatchGroupOut:
    return BatchGroupOut.model_validate(await batches.detach(group_id, body))


@order_router.post(
    "/create-items",
    summary="Create the units of the final rows, grouped by product and condition (once; "
    "a large manifest: 202, a background job)",
    response_model=CreatedItemsOut,
    responses={**STEP, **ACCEPTED},
)
async def create_items(
    order_id: uuid.UUID, _: StaffUser, jobs: IntakeJobServiceDep
) -> CreatedItemsOut | JSONResponse:
    return answer(CreatedItemsOut, await jobs.create_items(order_id))


@order_router.post(
    "/check-in-items",
    summary="Check units of the order in (bulk) and put them on the shelf",
    responses=STEP,
)
async def check_in_items(
    order_id: uuid.UUID, body: CheckInItemsIn, _: StaffUser, batches: BatchServiceDep
) -> CheckedInOut:
    return CheckedInOut.model_validate(await batches.check_in_items(order_id, body))
