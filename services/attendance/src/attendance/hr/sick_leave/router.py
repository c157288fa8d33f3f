"""/api/hr/sick-leave (seed 002): balances, and requests approved up to the balance."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from attendance.deps import SickLeaveServiceDep
from attendance.hr.review import RequestStatus
from attendance.hr.sick_leave.schemas import (
    BalanceOut,
    DenialIn,
    ReviewIn,
    SickLeaveIn,
    SickLeaveOut,
    SickLeaveUpdate,
)
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.routing import put_and_patch
from common.security import BranchHeadUser, StaffUser

router = APIRouter(prefix="/api/hr/sick-leave", tags=["sick leave"])
FOUND = described(r403="Someone else's (of another store)", r404="No such request")
Employee = Annotated[str | None, Query(max_length=64, description="auth's user id")]


@router.get("/balances", summary="Sick-leave balances (yours; a branch head's people's too)")
async def balances(
    _: StaffUser,
    leave: SickLeaveServiceDep,
    session: SessionDep,
    page: PageDep,
    employee: Employee = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[BalanceOut]:
    statement = await leave.balances(employee=employee, year=year)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [BalanceOut.model_validate(row) for row in rows], page)


@router.get("/requests", summary="Sick-leave requests (yours; a branch head's stores' too)")
async def list_requests(
    _: StaffUser,
    leave: SickLeaveServiceDep,
    session: SessionDep,
    page: PageDep,
    employee: Employee = None,
    status: Annotated[RequestStatus | None, Query()] = None,
) -> Page[SickLeaveOut]:
    count, rows = await paginate(session, leave.requests(employee=employee, status=status), page)
    return make_page(count, [SickLeaveOut.model_validate(row) for row in rows], page)


@router.post(
    "/requests",
    status_code=201,
    summary="Ask for sick leave",
    responses=described(r403="For someone else (branch heads only, of their store)"),
)
async def create_request(
    body: SickLeaveIn, _: StaffUser, leave: SickLeaveServiceDep
) -> SickLeaveOut:
    return SickLeaveOut.model_validate(await leave.create(body))


@router.get("/requests/{request_id}", summary="Retrieve a sick-leave request", responses=FOUND)
async def get_request(
    request_id: uuid.UUID, _: StaffUser, leave: SickLeaveServiceDep
) -> SickLeaveOut:
    return SickLeaveOut.model_validate(await leave.get(request_id))


async def update_request(
    request_id: uuid.UUID, body: SickLeaveUpdate, _: StaffUser, leave: SickLeaveServiceDep
) -> SickLeaveOut:
    return SickLeaveOut.model_validate(await leave.update(request_id, body))


put_and_patch(
    router,
    "/requests/{request_id}",
    update_request,
    summary="Change a pending sick-leave request",
    responses={**FOUND, **described(r409="No longer pending")},
    response_model=SickLeaveOut,
)


@router.delete(
    "/requests/{request_id}",
    status_code=204,
    summary="Withdraw a pending sick-leave request",
    responses={**FOUND, **described(r409="No longer pending")},
)
async def delete_request(
    request_id: uuid.UUID, _: StaffUser, leave: SickLeaveServiceDep
) -> Response:
    await leave.delete(request_id)
    return Response(status_code=204)


@router.post(
    "/requests/{request_id}/approve",
    summary="Approve a request (not your own): its hours are deducted from the balance",
    responses={**FOUND, **described(r409="Over the balance, or no longer pending")},
)
async def approve(
    request_id: uuid.UUID,
    _: BranchHeadUser,
    leave: SickLeaveServiceDep,
    body: ReviewIn | None = None,
) -> SickLeaveOut:
    return SickLeaveOut.model_validate(
        await leave.approve(request_id, body.review_note if body else "")
    )


@router.post(
    "/requests/{request_id}/deny",
    summary="Deny a request, saying why",
    responses={**FOUND, **described(r409="No longer pending")},
)
async def deny(
    request_id: uuid.UUID, body: DenialIn, _: BranchHeadUser, leave: SickLeaveServiceDep
) -> SickLeaveOut:
    return SickLeaveOut.model_validate(await leave.deny(request_id, body.review_note))
