"""Seed 002 /api/consignment/items (Staff, own stores): units taken in on consignment."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep
from common.routing import put_and_patch
from common.security import StaffUser
from pos.consigned.schemas import ConsignedItemIn, ConsignedItemOut, ConsignedItemUpdate
from pos.consignment.models import ConsignedStatus
from pos.deps import ConsignedServiceDep
from pos.pages import page_of

router = APIRouter(prefix="/api/consignment/items", tags=["consignment: items"])
NOT_FOUND = described(r404="No such consigned item", r403="Another store's item")


@router.get("", summary="List consigned items: ?agreement=, ?agreement__consignee=, ?status=")
async def list_items(
    _: StaffUser,
    items: ConsignedServiceDep,
    page: PageDep,
    agreement: Annotated[uuid.UUID | None, Query(description="Taken in under this version")] = None,
    agreement__consignee: Annotated[
        str | None, Query(min_length=1, max_length=64, description="The consignee's user id")
    ] = None,
    status: Annotated[ConsignedStatus | None, Query(description="on_floor, sold, returned")] = None,
) -> Page[ConsignedItemOut]:
    found = await items.listing(
        page, agreement=agreement, consignee=agreement__consignee, status=status
    )
    return page_of(ConsignedItemOut, found, page)


ItemKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="A client's UUID for this take-in: the same key and body again answer "
        "the item it made (200), another body is a 422, the key still in flight a 409",
        openapi_examples={
            "retry": {
                "summary": "Send the same key again when the answer got lost",
                "value": "3f1b9c52-6d0e-4f7a-9b3e-2c8d5a7e1f04",
            }
        },
    ),
]


@router.post(
    "",
    status_code=201,
    summary="Take a unit in on consignment under an active agreement version: link one of "
    "inventory's (item_id) or create it there (unit: source consignment, the consignee owning it)",
    description="Send an `Idempotency-Key` (a client UUID) so that a retry is safe: the same "
    "key and body answer the item the first request took in (200, same id) and no second "
    "unit is made in inventory — POS sends inventory a key derived from yours, so even when "
    "POS failed after inventory made the unit, your retry takes that same unit in. The same "
    "key with another body is a 422 naming the key.",
    responses={
        200: {
            "description": "The item this Idempotency-Key took in before (a retry)",
            "model": ConsignedItemOut,
        },
        **described(
            r403="Another store's agreement",
            r409="Not the active version, the unit sold, of another store or consigned "
            "already; or the Idempotency-Key is in use by a request still in flight",
            r422="Unknown agreement or unit, neither or both of item_id and unit, the "
            "Idempotency-Key used with another body, or inventory refusing the new unit "
            "(its reason)",
            r503="inventory is not configured or does not answer (nothing was written)",
        ),
    },
)
async def create_item(
    body: ConsignedItemIn,
    _: StaffUser,
    items: ConsignedServiceDep,
    response: Response,
    idempotency_key: ItemKey = None,
) -> ConsignedItemOut:
    item, created = await items.create(body, idempotency_key)
    if not created:
        response.status_code = 200
    return ConsignedItemOut.model_validate(item)


@router.get("/{consigned_id}", summary="Retrieve a consigned item", responses=NOT_FOUND)
async def get_item(
    consigned_id: uuid.UUID, _: StaffUser, items: ConsignedServiceDep
) -> ConsignedItemOut:
    return ConsignedItemOut.model_validate(await items.get(consigned_id))


async def update_item(
    consigned_id: uuid.UUID, body: ConsignedItemUpdate, _: StaffUser, items: ConsignedServiceDep
) -> ConsignedItemOut:
    return ConsignedItemOut.model_validate(await items.update(consigned_id, body))


put_and_patch(
    router,
    "/{consigned_id}",
    update_item,
    summary="Update a consigned item's list price",
    responses=NOT_FOUND,
)


@router.delete(
    "/{consigned_id}",
    status_code=204,
    summary="Give an item back to its consignee (status returned)",
    responses={**NOT_FOUND, **described(r409="Sold or returned already")},
)
async def return_item(
    consigned_id: uuid.UUID, _: StaffUser, items: ConsignedServiceDep
) -> Response:
    await items.give_back(consigned_id)
    return Response(status_code=204)
