"""/api/attendance/admin/shifts: a system admin's shifts of the stores."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from attendance.deps import ShiftServiceDep
from attendance.fields import QueryFlag
from attendance.shifts.schemas import ShiftIn, ShiftOut, ShiftUpdate
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.roles import Role
from common.routing import put_and_patch
from common.security import require_roles

router = APIRouter(
    prefix="/api/attendance/admin/shifts",
    tags=["shifts"],
    dependencies=[Depends(require_roles(Role.system_admin))],
)
NOT_FOUND = described(r404="No such shift")


@router.get("", summary="List shifts")
async def list_shifts(
    shifts: ShiftServiceDep,
    session: SessionDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    active: Annotated[QueryFlag | None, Query()] = None,
) -> Page[ShiftOut]:
    count, rows = await paginate(session, shifts.listing(store=store, active=active), page)
    return make_page(count, [ShiftOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Create a shift (end before start only for an overnight shift)",
    responses=described(r422="Unknown store, or end before start of a day shift"),
)
async def create_shift(body: ShiftIn, shifts: ShiftServiceDep) -> ShiftOut:
    return ShiftOut.model_validate(await shifts.create(body))


@router.get("/{shift_id}", summary="Retrieve a shift", responses=NOT_FOUND)
async def get_shift(shift_id: uuid.UUID, shifts: ShiftServiceDep) -> ShiftOut:
    return ShiftOut.model_validate(await shifts.get(shift_id))


async def update_shift(shift_id: uuid.UUID, body: ShiftUpdate, shifts: ShiftServiceDep) -> ShiftOut:
    return ShiftOut.model_validate(await shifts.update(shift_id, body))


put_and_patch(
    router,
    "/{shift_id}",
    update_shift,
    summary="Update a shift",
    responses=NOT_FOUND,
    response_model=ShiftOut,
)


@router.delete(
    "/{shift_id}",
    status_code=204,
    summary="Delete a shift nothing uses",
    responses=described(r404="No such shift", r409="Schedules or records use it"),
)
async def delete_shift(shift_id: uuid.UUID, shifts: ShiftServiceDep) -> Response:
    await shifts.delete(shift_id)
    return Response(status_code=204)
