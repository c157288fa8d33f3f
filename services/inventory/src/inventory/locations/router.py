"""Seed 004 locations under /api/inventory/locations: a tree per store, staff, own stores only."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import StaffUser
from inventory.locations.schemas import LocationIn, LocationOut, LocationUpdate
from inventory.locations.service import LocationService

router = APIRouter(prefix="/api/inventory/locations", tags=["locations"])
NOT_FOUND = described(r404="No such location", r403="Another store's location")


@router.get("", summary="List locations of your stores (filters: store, parent, roots, active)")
async def list_locations(
    actor: StaffUser,
    session: SessionDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Store id")] = None,
    parent: Annotated[uuid.UUID | None, Query(description="Children of this location")] = None,
    roots: Annotated[bool | None, Query(description="true: top-level locations only")] = None,
    is_active: Annotated[bool | None, Query()] = None,
) -> Page[LocationOut]:
    statement = LocationService.listing(
        actor, store=store, parent=parent, roots=roots, is_active=is_active
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [LocationOut.of(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Create a location in one of your stores",
    responses=described(r409="Code taken in this store", r403="Another store"),
)
async def create_location(body: LocationIn, actor: StaffUser, session: SessionDep) -> LocationOut:
    return LocationOut.of(await LocationService(session, actor).create(body))


@router.get("/{location_id}", summary="Retrieve a location", responses=NOT_FOUND)
async def get_location(
    location_id: uuid.UUID, actor: StaffUser, session: SessionDep
) -> LocationOut:
    return LocationOut.of(await LocationService(session, actor).get(location_id))


async def update_location(
    location_id: uuid.UUID, body: LocationUpdate, actor: StaffUser, session: SessionDep
) -> LocationOut:
    return LocationOut.of(await LocationService(session, actor).update(location_id, body))


for method in ("PUT", "PATCH"):
    router.add_api_route(
        "/{location_id}",
        update_location,
        methods=[method],
        summary="Rename, re-parent or (de)activate a location",
        responses=NOT_FOUND,
        operation_id=f"{method.lower()}_location",
    )


@router.delete(
    "/{location_id}",
    status_code=204,
    summary="Delete a location (refused while it holds stock, has children or stock history)",
    responses={**NOT_FOUND, **described(r409="Holds stock, has children or history")},
)
async def delete_location(
    location_id: uuid.UUID, actor: StaffUser, session: SessionDep
) -> Response:
    await LocationService(session, actor).delete(location_id)
    return Response(status_code=204)
