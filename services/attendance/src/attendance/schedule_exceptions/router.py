"""/api/attendance/admin/exceptions: a system admin's holidays, swaps and leaves."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from attendance.deps import ScheduleExceptionServiceDep
from attendance.schedule_exceptions.schemas import (
    ScheduleExceptionIn,
    ScheduleExceptionOut,
    ScheduleExceptionUpdate,
)
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.roles import Role
from common.routing import put_and_patch
from common.security import require_roles

router = APIRouter(
    prefix="/api/attendance/admin/exceptions",
    tags=["schedule exceptions"],
    dependencies=[Depends(require_roles(Role.system_admin))],
)
NOT_FOUND = described(r404="No such schedule exception")


@router.get("", summary="List schedule exceptions (holidays, swaps, leaves)")
async def list_exceptions(
    exceptions: ScheduleExceptionServiceDep,
    session: SessionDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    person: Annotated[str | None, Query(max_length=64, description="Only this person's")] = None,
) -> Page[ScheduleExceptionOut]:
    count, rows = await paginate(session, exceptions.listing(store=store, person=person), page)
    return make_page(count, [ScheduleExceptionOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Add a holiday, a swap or a leave to the roster",
    responses=described(
        r422="Unknown store, person or shift; dates backwards; a swap without a shift"
    ),
)
async def create_exception(
    body: ScheduleExceptionIn, exceptions: ScheduleExceptionServiceDep
) -> ScheduleExceptionOut:
    return ScheduleExceptionOut.model_validate(await exceptions.create(body))


@router.get("/{exception_id}", summary="Retrieve a schedule exception", responses=NOT_FOUND)
async def get_exception(
    exception_id: uuid.UUID, exceptions: ScheduleExceptionServiceDep
) -> ScheduleExceptionOut:
    return ScheduleExceptionOut.model_validate(await exceptions.get(exception_id))


async def update_exception(
    exception_id: uuid.UUID, body: ScheduleExceptionUpdate, exceptions: ScheduleExceptionServiceDep
) -> ScheduleExceptionOut:
    return ScheduleExceptionOut.model_validate(await exceptions.update(exception_id, body))


put_and_patch(
    router,
    "/{exception_id}",
    update_exception,
    summary="Update a schedule exception",
    responses=NOT_FOUND,
    response_model=ScheduleExceptionOut,
)


@router.delete(
    "/{exception_id}", status_code=204, summary="Delete a schedule exception", responses=NOT_FOUND
)
async def delete_exception(
    exception_id: uuid.UUID, exceptions: ScheduleExceptionServiceDep
) -> Response:
    await exceptions.delete(exception_id)
    return Response(status_code=204)
