"""Seed 002 /api/pos/carts: create (Employee+), add-item, remove a line, complete; void
(Manager+). Also read a cart, change a line or the cart discount."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep
from common.security import BranchHeadUser, StaffUser
from pos.carts.models import CartStatus
from pos.carts.schemas import (
    AddItem,
    CartCreate,
    CartDiscount,
    CartOut,
    CompleteSale,
    LineUpdate,
    VoidSale,
)
from pos.deps import CartServiceDep, IdempotencyKey
from pos.pages import page_of

router = APIRouter(prefix="/api/pos/carts", tags=["carts"])
NOT_FOUND = described(r404="No such cart", r403="Another store's cart, or not your drawer's")
CHANGING = {**NOT_FOUND, **described(r409="The cart is completed or voided")}


@router.get("", summary="List carts and sales of your stores")
async def list_carts(
    _: StaffUser,
    carts: CartServiceDep,
    page: PageDep,
    status: Annotated[CartStatus | None, Query()] = None,
    drawer: Annotated[uuid.UUID | None, Query()] = None,
    receipt_number: Annotated[str | None, Query()] = None,
    ordering: Annotated[str | None, Query(description="created_at, completed_at, total")] = None,
) -> Page[CartOut]:
    found = await carts.listing(
        page, status=status, drawer=drawer, receipt_number=receipt_number, ordering=ordering
    )
    return page_of(CartOut, found, page)


@router.post(
    "",
    status_code=201,
    summary="Create a cart on an open drawer (send your own id to make retries safe)",
    responses=described(
        r200="The cart with that id exists: returned as is",
        r409="The drawer is closed",
        r422="Unknown drawer",
    ),
)
async def create_cart(
    body: CartCreate, _: StaffUser, carts: CartServiceDep, response: Response
) -> CartOut:
    cart, created = await carts.create(body)
    if not created:
        response.status_code = 200
    return CartOut.model_validate(cart)


@router.get("/{cart_id}", summary="Retrieve a cart or sale", responses=NOT_FOUND)
async def get_cart(cart_id: uuid.UUID, _: StaffUser, carts: CartServiceDep) -> CartOut:
    return CartOut.model_validate(await carts.get(cart_id))


@router.post(
    "/{cart_id}/add-item",
    summary="Add an item by SKU: a unit on the shelf (quantity 1) or a catalog article",
    responses={
        **CHANGING,
        **described(
            r404="No sellable item or article with the SKU",
            r409="The unit is not on the shelf, or in another open cart",
        ),
    },
)
async def add_item(
    cart_id: uuid.UUID, body: AddItem, _: StaffUser, carts: CartServiceDep
) -> CartOut:
    return CartOut.model_validate(await carts.add_item(cart_id, body))


@router.patch(
    "/{cart_id}/lines/{line_id}",
    summary="Change a line's quantity or discount (above the advisor cap: branch head)",
    responses=CHANGING,
)
async def update_line(
    cart_id: uuid.UUID, line_id: int, body: LineUpdate, _: StaffUser, carts: CartServiceDep
) -> CartOut:
    return CartOut.model_validate(await carts.update_line(cart_id, line_id, body))


@router.delete(
    "/{cart_id}/lines/{line_id}",
    summary="Remove a line (a unit goes back to being sellable)",
    responses=CHANGING,
)
async def remove_line(
    cart_id: uuid.UUID, line_id: int, _: StaffUser, carts: CartServiceDep
) -> CartOut:
    return CartOut.model_validate(await carts.remove_line(cart_id, line_id))


@router.post(
    "/{cart_id}/discount",
    summary="Set the cart discount in percent (above the advisor cap: branch head)",
    responses=CHANGING,
)
async def set_discount(
    cart_id: uuid.UUID, body: CartDiscount, _: StaffUser, carts: CartServiceDep
) -> CartOut:
    return CartOut.model_validate(await carts.set_discount(cart_id, body.discount_percent))


@router.post(
    "/{cart_id}/complete",
    summary="Complete the sale: payment, change, receipt number; publishes pos.item.sold per "
    "line and pos.sale.completed",
    responses={
        **CHANGING,
        **described(
            r422="Empty cart, underpaid, wrong split, or the Idempotency-Key was used with another body",
        ),
    },
)
async def complete_sale(
    cart_id: uuid.UUID,
    body: CompleteSale,
    _: StaffUser,
    carts: CartServiceDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> CartOut:
    sale, completed = await carts.complete(cart_id, body, idempotency_key)
    if not completed:
        response.headers["Idempotent-Replayed"] = "true"
    return CartOut.model_validate(sale)


@router.post(
    "/{cart_id}/void",
    summary="Void a completed sale (branch head): items back on the shelf, cash refunded from "
    "the drawer; publishes pos.sale.voided",
    responses={**NOT_FOUND, **described(r409="Voided already, or not completed")},
)
async def void_sale(
    cart_id: uuid.UUID, body: VoidSale, _: BranchHeadUser, carts: CartServiceDep
) -> CartOut:
    return CartOut.model_validate(await carts.void(cart_id, body))
