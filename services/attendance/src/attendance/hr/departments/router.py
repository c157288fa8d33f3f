"""/api/hr/departments (seed 002): staff read; a branch head writes their store's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from attendance.deps import DepartmentServiceDep
from attendance.hr.departments.schemas import DepartmentIn, DepartmentOut, DepartmentUpdate
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.routing import put_and_patch
from common.security import BranchHeadUser, StaffUser

router = APIRouter(prefix="/api/hr/departments", tags=["departments"])
FOUND = described(r403="Another store's", r404="No such department")
DepartmentId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("", summary="List departments (the company's and your stores')")
async def list_departments(
    _: StaffUser,
    departments: DepartmentServiceDep,
    session: SessionDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
) -> Page[DepartmentOut]:
    count, rows = await paginate(session, departments.listing(store=store), page)
    return make_page(count, [DepartmentOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Create a department (of your store; company-wide: system admin)",
    responses=described(r403="Another store, or company-wide", r422="Unknown store"),
)
async def create_department(
    body: DepartmentIn, _: BranchHeadUser, departments: DepartmentServiceDep
) -> DepartmentOut:
    return DepartmentOut.model_validate(await departments.create(body))


@router.get("/{department_id}", summary="Retrieve a department", responses=FOUND)
async def get_department(
    department_id: DepartmentId, _: StaffUser, departments: DepartmentServiceDep
) -> DepartmentOut:
    return DepartmentOut.model_validate(await departments.get(department_id))


async def update_department(
    department_id: DepartmentId,
    body: DepartmentUpdate,
    _: BranchHeadUser,
    departments: DepartmentServiceDep,
) -> DepartmentOut:
    return DepartmentOut.model_validate(await departments.update(department_id, body))


put_and_patch(
    router,
    "/{department_id}",
    update_department,
    summary="Update a department",
    responses=FOUND,
    response_model=DepartmentOut,
)


@router.delete(
    "/{department_id}",
    status_code=204,
    summary="Delete a department with no time entries",
    responses={**FOUND, **described(r409="It has time entries")},
)
async def delete_department(
    department_id: DepartmentId, _: BranchHeadUser, departments: DepartmentServiceDep
) -> Response:
    await departments.delete(department_id)
    return Response(status_code=204)
