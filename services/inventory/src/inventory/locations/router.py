"""Seed 004 locations under /api/inventory/locations: a tree per store, staff, own stores only."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import StaffUser
from inventory.deps import LocationServiceDep
from inventory.locations.repository import LocationFilters
from inventory.locations.schemas import LocationIn, LocationOut, LocationUpdate

router = APIRouter(prefix="/api/inventory/locations", tags=["locations"])
NOT_FOUND = described(r404="No such location", r403="Another store's location")


@router.get("", summary="List locations of your stores (filters: store, parent, roots, active)")
async def list_locations(
    _: StaffUser,
    locations: LocationServiceDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Store id")] = None,
    parent: Annotated[uuid.UUID | None, Query(description="Children of this location")] = None,
    roots: Annotated[bool | None, Query(description="true: top-level locations only")] = None,
    is_active: Annotated[bool | None, Query()] = None,
) -> Page[LocationOut]:
    filters = LocationFilters(store=store, parent=parent, roots=roots, is_active=is_active)
    return page_of(LocationOut, await locations.listing(filters, page), page)


@router.post(
    "",
    status_code=201,
    summary="Create a location in one of your stores",
    responses=described(r409="Code taken in this store", r403="Another store"),
)
async def create_location(
    body: LocationIn, _: StaffUser, locations: LocationServiceDep
) -> LocationOut:
    return LocationOut.model_validate(await locations.create(body))


@router.get("/{location_id}", summary="Retrieve a location", responses=NOT_FOUND)
async def get_location(
    location_id: uuid.UUID, _: StaffUser, locations: LocationServiceDep
) -> LocationOut:
    return LocationOut.model_validate(await locations.get(location_id))


async def update_location(
    location_id: uuid.UUID, body: LocationUpdate, _: StaffUser, locations: LocationServiceDep
) -> LocationOut:
    return LocationOut.model_validate(await locations.update(location_id, body))


put_and_patch(
    router,
    "/{location_id}",
    update_location,
    summary="Rename, re-parent or (de)activate a location",
    responses=NOT_FOUND,
)


@router.delete(
    "/{location_id}",
    status_code=204,
    summary="Delete a location (refused while it holds stock, has children or stock history)",
    responses={**NOT_FOUND, **described(r409="Holds stock, has children or history")},
)
async def delete_location(
    location_id: uuid.UUID, _: StaffUser, locations: LocationServiceDep
) -> Response:
    await locations.delete(location_id)
    return Response(status_code=204)
