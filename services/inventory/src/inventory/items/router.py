"""Seed 002 "Products & Items" and "Item History" under /api/inventory: staff, own stores;
the SKU lookup is public."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.scope import scoped
from common.security import StaffUser
from inventory.items.schemas import (
    CheckIn,
    Condition,
    ItemEventOut,
    ItemIn,
    ItemOut,
    ItemUpdate,
    PublicItemOut,
    Source,
    Status,
)
from inventory.items.service import ItemService
from inventory.models import Item, ItemEvent

router = APIRouter(prefix="/api/inventory/items", tags=["items"])
history_router = APIRouter(prefix="/api/inventory/item-history", tags=["items"])
NOT_FOUND = described(r404="No such item", r403="Another store's item")
ILLEGAL = described(r409="Not allowed in the item's current status (the allowed next are named)")


@router.get("", summary="List unit items of your stores")
async def list_items(
    actor: StaffUser,
    session: SessionDep,
    page: PageDep,
    status: Annotated[Status | None, Query()] = None,
    source: Annotated[Source | None, Query()] = None,
    category: Annotated[str | None, Query()] = None,
    condition: Annotated[Condition | None, Query()] = None,
    location: Annotated[uuid.UUID | None, Query(description="Location id")] = None,
    store: Annotated[uuid.UUID | None, Query(description="Store id")] = None,
    ordering: Annotated[
        str | None, Query(description="created_at, price, sku, name; '-' for descending")
    ] = None,
) -> Page[ItemOut]:
    statement = ItemService.listing(
        actor,
        {
            "status": status,
            "source": source,
            "category": category,
            "condition": condition,
            "location": location,
            "store": store,
        },
    )
    statement = apply_ordering(
        statement,
        ordering,
        {"created_at": Item.created_at, "price": Item.price, "sku": Item.sku, "name": Item.name},
        [Item.created_at.desc(), Item.id],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [ItemOut.of(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Create a unit item (status intake; with a location it enters the ledger there)",
    responses=described(r409="SKU taken", r403="Another store"),
)
async def create_item(body: ItemIn, actor: StaffUser, session: SessionDep) -> ItemOut:
    return ItemOut.of(await ItemService(session, actor).create(body))


@router.get(
    "/lookup/{sku}",
    summary="Public: look a unit up by its SKU (no cost, notes or internal ids)",
    responses=described(r404="No item with this SKU"),
)
async def lookup_item(sku: str, session: SessionDep) -> PublicItemOut:
    return PublicItemOut.of(await ItemService(session, None).by_sku(sku))


@router.get("/{item_id}", summary="Retrieve a unit item", responses=NOT_FOUND)
async def get_item(item_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> ItemOut:
    return ItemOut.of(await ItemService(session, actor).get(item_id))


async def update_item(
    item_id: uuid.UUID, body: ItemUpdate, actor: StaffUser, session: SessionDep
) -> ItemOut:
    return ItemOut.of(await ItemService(session, actor).update(item_id, body))


for method in ("PUT", "PATCH"):
    router.add_api_route(
        "/{item_id}",
        update_item,
        methods=[method],
        summary="Update a unit item (price changes are logged; moves write the ledger)",
        responses={**NOT_FOUND, **ILLEGAL},
        operation_id=f"{method.lower()}_item",
    )


@router.delete(
    "/{item_id}",
    status_code=204,
    summary="Delete a unit item that never entered stock (otherwise mark it lost or damaged)",
    responses={**NOT_FOUND, **described(r409="Has stock history")},
)
async def delete_item(item_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> Response:
    await ItemService(session, actor).delete(item_id)
    return Response(status_code=204)


@router.post(
    "/{item_id}/check-in",
    summary="Check a unit in with its finalised fields and put it on the shelf",
    responses={**NOT_FOUND, **ILLEGAL},
)
async def check_in_item(
    item_id: uuid.UUID, body: CheckIn, actor: StaffUser, session: SessionDep
) -> ItemOut:
    return ItemOut.of(await ItemService(session, actor).check_in(item_id, body))


@router.post(
    "/{item_id}/ready",
    summary="Mark a unit on_shelf (it needs a price and a location)",
    responses={**NOT_FOUND, **ILLEGAL},
)
async def ready_item(item_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> ItemOut:
    return ItemOut.of(await ItemService(session, actor).ready(item_id))


@history_router.get("", summary="Lifecycle events of unit items (read-only)")
async def list_item_history(
    actor: StaffUser,
    session: SessionDep,
    page: PageDep,
    item: Annotated[uuid.UUID | None, Query(description="Item id")] = None,
    event_type: Annotated[
        str | None,
        Query(
            description="created, checked_in, priced, moved, status_changed, ready, sold, voided, oversold"
        ),
    ] = None,
) -> Page[ItemEventOut]:
    statement = scoped(
        select(ItemEvent).join(Item, Item.id == ItemEvent.item_id), Item.store_id, actor
    )
    if item is not None:
        statement = statement.where(ItemEvent.item_id == item)
    if event_type:
        statement = statement.where(ItemEvent.event_type == event_type)
    count, rows = await paginate(session, statement.order_by(ItemEvent.id), page)
    return make_page(count, [ItemEventOut.of(row) for row in rows], page)
