"""/api/attendance/admin/schedules: a system admin's rosters, and their preview."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from attendance.deps import ScheduleServiceDep
from attendance.fields import Day, QueryFlag
from attendance.schedules.schemas import PreviewOut, ScheduleIn, ScheduleOut, ScheduleUpdate
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.roles import Role
from common.routing import put_and_patch
from common.security import require_roles

router = APIRouter(
    prefix="/api/attendance/admin/schedules",
    tags=["schedules"],
    dependencies=[Depends(require_roles(Role.system_admin))],
)
NOT_FOUND = described(r404="No such schedule")


@router.get("", summary="List advisor schedules")
async def list_schedules(
    schedules: ScheduleServiceDep,
    session: SessionDep,
    page: PageDep,
    person: Annotated[str | None, Query(max_length=64, description="Only this person's")] = None,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    active: Annotated[QueryFlag | None, Query()] = None,
) -> Page[ScheduleOut]:
    statement = schedules.listing(person=person, store=store, active=active)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [ScheduleOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Assign a shift to a person on days of the week, from a date",
    responses=described(r422="Unknown person, store or shift; or the dates run backwards"),
)
async def create_schedule(body: ScheduleIn, schedules: ScheduleServiceDep) -> ScheduleOut:
    return ScheduleOut.model_validate(await schedules.create(body))


@router.get("/{schedule_id}", summary="Retrieve a schedule", responses=NOT_FOUND)
async def get_schedule(schedule_id: uuid.UUID, schedules: ScheduleServiceDep) -> ScheduleOut:
    return ScheduleOut.model_validate(await schedules.get(schedule_id))


async def update_schedule(
    schedule_id: uuid.UUID, body: ScheduleUpdate, schedules: ScheduleServiceDep
) -> ScheduleOut:
    return ScheduleOut.model_validate(await schedules.update(schedule_id, body))


put_and_patch(
    router,
    "/{schedule_id}",
    update_schedule,
    summary="Update a schedule",
    responses=NOT_FOUND,
    response_model=ScheduleOut,
)


@router.delete("/{schedule_id}", status_code=204, summary="Delete a schedule", responses=NOT_FOUND)
async def delete_schedule(schedule_id: uuid.UUID, schedules: ScheduleServiceDep) -> Response:
    await schedules.delete(schedule_id)
    return Response(status_code=204)


@router.get(
    "/{schedule_id}/preview",
    summary="Preview a schedule: each day's shifts, projected hours, overtime and conflicts",
    responses=NOT_FOUND,
)
async def preview_schedule(
    schedule_id: uuid.UUID,
    schedules: ScheduleServiceDep,
    date_from: Annotated[Day, Query(description="First day (the store's local date)")],
    date_to: Annotated[Day, Query(description="Last day, inclusive (at most 92 days)")],
) -> PreviewOut:
    return await schedules.preview(schedule_id, date_from, date_to)
