"""Seed 002 /api/pos/drawers (Employee+, own stores): open, list, close, hand off, drop."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from common.openapi import described
from common.pagination import Page, PageDep
from common.security import StaffUser
from pos.cash.models import DrawerStatus
from pos.deps import DrawerServiceDep
from pos.drawers.schemas import (
    DrawerClose,
    DrawerDrop,
    DrawerHandoff,
    DrawerOpen,
    DrawerOut,
    HandoffOut,
    MovementOut,
)
from pos.pages import page_of
from pos.schema_types import IsoDate

router = APIRouter(prefix="/api/pos/drawers", tags=["drawers"])
NOT_FOUND = described(r404="No such drawer", r403="Another store's drawer, or not yours")
CLOSED = described(r409="The drawer is closed")


@router.get("", summary="List drawers: ?register=, ?date= (opened that day, store time), ?status=")
async def list_drawers(
    _: StaffUser,
    drawers: DrawerServiceDep,
    page: PageDep,
    register: Annotated[uuid.UUID | None, Query()] = None,
    day: Annotated[IsoDate | None, Query(alias="date", description="YYYY-MM-DD")] = None,
    status: Annotated[DrawerStatus | None, Query()] = None,
    cashier: Annotated[str | None, Query(description="A cashier's user id")] = None,
    ordering: Annotated[str | None, Query(description="opened_at, closed_at, variance")] = None,
) -> Page[DrawerOut]:
    found = await drawers.listing(
        page, register=register, day=day, status=status, cashier=cashier, ordering=ordering
    )
    return page_of(DrawerOut, found, page)


@router.post(
    "",
    status_code=201,
    summary="Open a drawer on a register with an opening count (you are its cashier)",
    responses=described(r409="A drawer is already open on the register", r422="Unknown register"),
)
async def open_drawer(body: DrawerOpen, _: StaffUser, drawers: DrawerServiceDep) -> DrawerOut:
    return DrawerOut.model_validate(await drawers.open(body))


@router.get(
    "/{drawer_id}",
    summary="Retrieve a drawer (open: with the cash it should hold now)",
    responses=NOT_FOUND,
)
async def get_drawer(drawer_id: uuid.UUID, _: StaffUser, drawers: DrawerServiceDep) -> DrawerOut:
    return DrawerOut.model_validate(await drawers.get(drawer_id))


@router.get(
    "/{drawer_id}/movements",
    summary="Every cash movement of a drawer, in order",
    responses=NOT_FOUND,
)
async def drawer_movements(
    drawer_id: uuid.UUID, _: StaffUser, drawers: DrawerServiceDep
) -> list[MovementOut]:
    return [MovementOut.model_validate(row) for row in await drawers.movements(drawer_id)]


@router.post(
    "/{drawer_id}/close",
    summary="Close with the counted cash: records expected, counted and variance",
    responses={**NOT_FOUND, **described(r409="Closed already, or carts with items are open")},
)
async def close_drawer(
    drawer_id: uuid.UUID, body: DrawerClose, _: StaffUser, drawers: DrawerServiceDep
) -> DrawerOut:
    return DrawerOut.model_validate(await drawers.close(drawer_id, body))


@router.post(
    "/{drawer_id}/handoff",
    summary="Mid-shift handoff: close the outgoing count, open the incoming cashier's drawer "
    "with that cash; open carts follow",
    responses={**NOT_FOUND, **CLOSED},
)
async def handoff_drawer(
    drawer_id: uuid.UUID, body: DrawerHandoff, _: StaffUser, drawers: DrawerServiceDep
) -> HandoffOut:
    closed, opened = await drawers.handoff(drawer_id, body)
    return HandoffOut(
        closed=DrawerOut.model_validate(closed), opened=DrawerOut.model_validate(opened)
    )


@router.post(
    "/{drawer_id}/drop",
    summary="Cash drop: from the drawer into the store's safe",
    responses={**NOT_FOUND, **described(r409="Closed, or more than the drawer holds")},
)
async def drop_cash(
    drawer_id: uuid.UUID, body: DrawerDrop, _: StaffUser, drawers: DrawerServiceDep
) -> DrawerOut:
    return DrawerOut.model_validate(await drawers.drop(drawer_id, body))
