"""Seed 002 "Products & Items" and "Item History" under /api/inventory: staff, own stores;
the SKU lookup is public."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import StaffUser
from inventory.deps import ItemCreatorDep, ItemServiceDep, PublicItemsDep
from inventory.items.models import Condition, ItemStatus, ProcessingTier, Source
from inventory.items.repository import ItemFilters
from inventory.items.schemas import (
    CheckIn,
    ItemEventOut,
    ItemIn,
    ItemOut,
    ItemUpdate,
    PublicItemOut,
)

router = APIRouter(prefix="/api/inventory/items", tags=["items"])
history_router = APIRouter(prefix="/api/inventory/item-history", tags=["items"])
NOT_FOUND = described(r404="No such item", r403="Another store's item")
ILLEGAL = described(r409="Not allowed in the item's current status (the allowed next are named)")


@router.get("", summary="List unit items of your stores")
async def list_items(
    _: StaffUser,
    items: ItemServiceDep,
    page: PageDep,
    status: Annotated[ItemStatus | None, Query()] = None,
    source: Annotated[Source | None, Query()] = None,
    category: Annotated[str | None, Query()] = None,
    condition: Annotated[Condition | None, Query()] = None,
    location: Annotated[uuid.UUID | None, Query(description="Location id")] = None,
    store: Annotated[uuid.UUID | None, Query(description="Store id")] = None,
    ordering: Annotated[
        str | None, Query(description="created_at, price, sku, name; '-' for descending")
    ] = None,
    batch_group: Annotated[uuid.UUID | None, Query(description="Batch group id")] = None,
    processing_tier: Annotated[ProcessingTier | None, Query()] = None,
    purchase_order: Annotated[uuid.UUID | None, Query(description="Purchase order id")] = None,
) -> Page[ItemOut]:
    filters = ItemFilters(
        status,
        source,
        category,
        condition,
        location,
        store,
        ordering,
        batch_group=batch_group,
        processing_tier=processing_tier,
        purchase_order=purchase_order,
    )
    return page_of(ItemOut, await items.listing(filters, page), page)


@router.post(
    "",
    status_code=201,
    summary="Create a unit item (status intake; with a location it enters the ledger there)",
    description="Staff of the store, or another service with the `items:create` scope (POS "
    "taking a unit in on consignment, `source` consignment and the consignee as `owner_id`). "
    "With an `Idempotency-Key`, a repeat of the same unit answers the one made (200).",
    responses={
        200: {"description": "The unit this Idempotency-Key made before", "model": ItemOut},
        **described(
            r401="Missing, invalid, expired or revoked token (a person's or a service's)",
            r409="SKU taken",
            r403="Another store",
            r422="owner_id without source consignment, or the key used for another unit",
        ),
    },
)
async def create_item(
    body: ItemIn,
    response: Response,
    items: ItemCreatorDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=120,
            description="One unit per key: a repeat answers the unit the first request made",
        ),
    ] = None,
) -> ItemOut:
    item, created = await items.create_once(body, idempotency_key)
    if not created:
        response.status_code = 200
    return ItemOut.model_validate(item)


@router.get(
    "/lookup/{sku}",
    summary="Public: look a unit up by its SKU (no cost, notes or internal ids)",
    responses=described(r404="No item with this SKU"),
)
async def lookup_item(sku: str, items: PublicItemsDep) -> PublicItemOut:
    return PublicItemOut.model_validate(await items.by_sku(sku))


@router.get("/{item_id}", summary="Retrieve a unit item", responses=NOT_FOUND)
async def get_item(item_id: uuid.UUID, _: StaffUser, items: ItemServiceDep) -> ItemOut:
    return ItemOut.model_validate(await items.get(item_id))


async def update_item(
    item_id: uuid.UUID, body: ItemUpdate, _: StaffUser, items: ItemServiceDep
) -> ItemOut:
    return ItemOut.model_validate(await items.update(item_id, body))


put_and_patch(
    router,
    "/{item_id}",
    update_item,
    summary="Update a unit item (price changes are logged; moves write the ledger)",
    responses={**NOT_FOUND, **ILLEGAL},
)


@router.delete(
    "/{item_id}",
    status_code=204,
    summary="Delete a unit item that never entered stock (otherwise mark it lost or damaged)",
    responses={**NOT_FOUND, **described(r409="Has stock history")},
)
async def delete_item(item_id: uuid.UUID, _: StaffUser, items: ItemServiceDep) -> Response:
    await items.delete(item_id)
    return Response(status_code=204)


@router.post(
    "/{item_id}/check-in",
    summary="Check a unit in with its finalised fields and put it on the shelf",
    responses={**NOT_FOUND, **ILLEGAL},
)
async def check_in_item(
    item_id: uuid.UUID, body: CheckIn, _: StaffUser, items: ItemServiceDep
) -> ItemOut:
    return ItemOut.model_validate(await items.check_in(item_id, body))


@router.post(
    "/{item_id}/ready",
    summary="Mark a unit on_shelf (it needs a price and a location)",
    responses={**NOT_FOUND, **ILLEGAL},
)
async def ready_item(item_id: uuid.UUID, _: StaffUser, items: ItemServiceDep) -> ItemOut:
    return ItemOut.model_validate(await items.ready(item_id))


@history_router.get("", summary="Lifecycle events of unit items (read-only)")
async def list_item_history(
    _: StaffUser,
    items: ItemServiceDep,
    page: PageDep,
    item: Annotated[uuid.UUID | None, Query(description="Item id")] = None,
    event_type: Annotated[
        str | None,
        Query(
            description="created, checked_in, priced, moved, status_changed, ready, sold, voided, oversold"
        ),
    ] = None,
) -> Page[ItemEventOut]:
    return page_of(ItemEventOut, await items.history_list(item, event_type, page), page)
