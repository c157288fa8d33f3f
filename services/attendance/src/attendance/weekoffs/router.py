"""/api/attendance/admin/weekoffs: a system admin's weekly offs of advisors."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from attendance.deps import WeeklyOffServiceDep
from attendance.weekoffs.schemas import WeeklyOffIn, WeeklyOffOut, WeeklyOffUpdate
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.roles import Role
from common.routing import put_and_patch
from common.security import require_roles

router = APIRouter(
    prefix="/api/attendance/admin/weekoffs",
    tags=["weekoffs"],
    dependencies=[Depends(require_roles(Role.system_admin))],
)
NOT_FOUND = described(r404="No such weekly off")


@router.get("", summary="List weekly offs")
async def list_weekoffs(
    weekoffs: WeeklyOffServiceDep,
    session: SessionDep,
    page: PageDep,
    person: Annotated[str | None, Query(max_length=64, description="Only this person's")] = None,
) -> Page[WeeklyOffOut]:
    count, rows = await paginate(session, weekoffs.listing(person=person), page)
    return make_page(count, [WeeklyOffOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Give a person a weekly day off",
    responses=described(r422="Unknown person, or the dates run backwards"),
)
async def create_weekoff(body: WeeklyOffIn, weekoffs: WeeklyOffServiceDep) -> WeeklyOffOut:
    return WeeklyOffOut.model_validate(await weekoffs.create(body))


@router.get("/{weekoff_id}", summary="Retrieve a weekly off", responses=NOT_FOUND)
async def get_weekoff(weekoff_id: uuid.UUID, weekoffs: WeeklyOffServiceDep) -> WeeklyOffOut:
    return WeeklyOffOut.model_validate(await weekoffs.get(weekoff_id))


async def update_weekoff(
    weekoff_id: uuid.UUID, body: WeeklyOffUpdate, weekoffs: WeeklyOffServiceDep
) -> WeeklyOffOut:
    return WeeklyOffOut.model_validate(await weekoffs.update(weekoff_id, body))


put_and_patch(
    router,
    "/{weekoff_id}",
    update_weekoff,
    summary="Update a weekly off",
    responses=NOT_FOUND,
    response_model=WeeklyOffOut,
)


@router.delete("/{weekoff_id}", status_code=204, summary="Delete a weekly off", responses=NOT_FOUND)
async def delete_weekoff(weekoff_id: uuid.UUID, weekoffs: WeeklyOffServiceDep) -> Response:
    await weekoffs.delete(weekoff_id)
    return Response(status_code=204)
