"""Seed 002 /api/pos/drawers (Employee+, own stores): open, list, close, hand off, drop."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.security import StaffUser
from pos.drawers.schemas import (
    DrawerClose,
    DrawerDrop,
    DrawerHandoff,
    DrawerOpen,
    DrawerOut,
    HandoffOut,
    MovementOut,
)
from pos.drawers.service import DrawerService
from pos.models import Drawer

router = APIRouter(prefix="/api/pos/drawers", tags=["drawers"])
NOT_FOUND = described(r404="No such drawer", r403="Another store's drawer, or not yours")
CLOSED = described(r409="The drawer is closed")


async def _out(service: DrawerService, drawer: Drawer) -> DrawerOut:
    expected = await service.expected(drawer) if drawer.status == "open" else None
    return DrawerOut.of(drawer, expected)


@router.get("", summary="List drawers: ?register=, ?date= (opened that day, store time), ?status=")
async def list_drawers(
    actor: StaffUser,
    session: SessionDep,
    page: PageDep,
    register: Annotated[uuid.UUID | None, Query()] = None,
    day: Annotated[date | None, Query(alias="date", description="YYYY-MM-DD")] = None,
    status: Annotated[Literal["open", "closed"] | None, Query()] = None,
    cashier: Annotated[str | None, Query(description="A cashier's user id")] = None,
    ordering: Annotated[str | None, Query(description="opened_at, closed_at, variance")] = None,
) -> Page[DrawerOut]:
    service = DrawerService(session, actor)
    statement = apply_ordering(
        service.listing(register, day, status, cashier),
        ordering,
        {"opened_at": Drawer.opened_at, "closed_at": Drawer.closed_at, "variance": Drawer.variance},
        [Drawer.opened_at.desc(), Drawer.id],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [await _out(service, row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Open a drawer on a register with an opening count (you are its cashier)",
    responses=described(r409="A drawer is already open on the register", r422="Unknown register"),
)
async def open_drawer(body: DrawerOpen, actor: StaffUser, session: SessionDep) -> DrawerOut:
    service = DrawerService(session, actor)
    return await _out(service, await service.open(body))


@router.get(
    "/{drawer_id}",
    summary="Retrieve a drawer (open: with the cash it should hold now)",
    responses=NOT_FOUND,
)
async def get_drawer(drawer_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> DrawerOut:
    service = DrawerService(session, actor)
    return await _out(service, await service.get(drawer_id))


@router.get(
    "/{drawer_id}/movements",
    summary="Every cash movement of a drawer, in order",
    responses=NOT_FOUND,
)
async def drawer_movements(
    drawer_id: uuid.UUID, actor: StaffUser, session: SessionDep
) -> list[MovementOut]:
    return [MovementOut.of(row) for row in await DrawerService(session, actor).movements(drawer_id)]


@router.post(
    "/{drawer_id}/close",
    summary="Close with the counted cash: records expected, counted and variance",
    responses={**NOT_FOUND, **described(r409="Closed already, or carts with items are open")},
)
async def close_drawer(
    drawer_id: uuid.UUID, body: DrawerClose, actor: StaffUser, session: SessionDep
) -> DrawerOut:
    service = DrawerService(session, actor)
    return await _out(service, await service.close(drawer_id, body))


@router.post(
    "/{drawer_id}/handoff",
    summary="Mid-shift handoff: close the outgoing count, open the incoming cashier's drawer "
    "with that cash; open carts follow",
    responses={**NOT_FOUND, **CLOSED},
)
async def handoff_drawer(
    drawer_id: uuid.UUID, body: DrawerHandoff, actor: StaffUser, session: SessionDep
) -> HandoffOut:
    service = DrawerService(session, actor)
    closed, opened = await service.handoff(drawer_id, body)
    return HandoffOut(closed=await _out(service, closed), opened=await _out(service, opened))


@router.post(
    "/{drawer_id}/drop",
    summary="Cash drop: from the drawer into the store's safe",
    responses={**NOT_FOUND, **described(r409="Closed, or more than the drawer holds")},
)
async def drop_cash(
    drawer_id: uuid.UUID, body: DrawerDrop, actor: StaffUser, session: SessionDep
) -> DrawerOut:
    service = DrawerService(session, actor)
    return await _out(service, await service.drop(drawer_id, body))
