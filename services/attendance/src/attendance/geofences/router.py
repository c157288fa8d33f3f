"""/api/attendance/admin/geofences: a system admin's store geofences (circles and polygons)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from attendance.deps import GeofenceServiceDep
from attendance.fields import QueryFlag
from attendance.geofences.schemas import GeofenceIn, GeofenceOut, GeofenceUpdate
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.roles import Role
from common.routing import put_and_patch
from common.security import require_roles

router = APIRouter(
    prefix="/api/attendance/admin/geofences",
    tags=["geofences"],
    dependencies=[Depends(require_roles(Role.system_admin))],
)
NOT_FOUND = described(r404="No such geofence")


@router.get("", summary="List store geofences")
async def list_geofences(
    geofences: GeofenceServiceDep,
    session: SessionDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    active: Annotated[QueryFlag | None, Query()] = None,
) -> Page[GeofenceOut]:
    count, rows = await paginate(session, geofences.listing(store=store, active=active), page)
    return make_page(count, [GeofenceOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Draw a geofence: a circle (centre, radius) or a polygon (its points)",
    responses=described(r422="Unknown store, or not one well-formed shape"),
)
async def create_geofence(body: GeofenceIn, geofences: GeofenceServiceDep) -> GeofenceOut:
    return GeofenceOut.model_validate(await geofences.create(body))


@router.get("/{geofence_id}", summary="Retrieve a geofence", responses=NOT_FOUND)
async def get_geofence(geofence_id: uuid.UUID, geofences: GeofenceServiceDep) -> GeofenceOut:
    return GeofenceOut.model_validate(await geofences.get(geofence_id))


async def update_geofence(
    geofence_id: uuid.UUID, body: GeofenceUpdate, geofences: GeofenceServiceDep
) -> GeofenceOut:
    return GeofenceOut.model_validate(await geofences.update(geofence_id, body))


put_and_patch(
    router,
    "/{geofence_id}",
    update_geofence,
    summary="Update a geofence",
    responses=NOT_FOUND,
    response_model=GeofenceOut,
)


@router.delete("/{geofence_id}", status_code=204, summary="Delete a geofence", responses=NOT_FOUND)
async def delete_geofence(geofence_id: uuid.UUID, geofences: GeofenceServiceDep) -> Response:
    await geofences.delete(geofence_id)
    return Response(status_code=204)
