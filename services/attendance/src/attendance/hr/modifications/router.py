"""/api/hr/modification-requests (seed 002): a change to a time entry, applied on approval."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from attendance.deps import ModificationServiceDep
from attendance.hr.modifications.schemas import DenialIn, ModificationIn, ModificationOut, ReviewIn
from attendance.hr.review import RequestStatus
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import BranchHeadUser, StaffUser

router = APIRouter(prefix="/api/hr/modification-requests", tags=["modification requests"])
REVIEW = described(
    r403="Your own, or another store's",
    r404="No such request",
    r409="No longer pending, the entry is approved, or its month is closed",
)


@router.get("", summary="Modification requests (yours; a branch head's stores' too)")
async def list_requests(
    _: StaffUser,
    modifications: ModificationServiceDep,
    session: SessionDep,
    page: PageDep,
    employee: Annotated[str | None, Query(max_length=64, description="auth's user id")] = None,
    status: Annotated[RequestStatus | None, Query()] = None,
) -> Page[ModificationOut]:
    statement = modifications.listing(employee=employee, status=status)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [ModificationOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Ask for a change to a time entry",
    responses=described(
        r403="Someone else's entry",
        r404="No such time entry",
        r409="Still clocked in, approved, or month closed",
    ),
)
async def create_request(
    body: ModificationIn, _: StaffUser, modifications: ModificationServiceDep
) -> ModificationOut:
    return ModificationOut.model_validate(await modifications.create(body))


@router.post(
    "/{request_id}/approve",
    summary="Approve a request: the entry changes, its earlier version stays in its history",
    responses=REVIEW,
)
async def approve(
    request_id: uuid.UUID,
    _: BranchHeadUser,
    modifications: ModificationServiceDep,
    body: ReviewIn | None = None,
) -> ModificationOut:
    note = body.review_note if body else ""
    return ModificationOut.model_validate(await modifications.approve(request_id, note))


@router.post("/{request_id}/deny", summary="Deny a request with a review note", responses=REVIEW)
async def deny(
    request_id: uuid.UUID, body: DenialIn, _: BranchHeadUser, modifications: ModificationServiceDep
) -> ModificationOut:
    return ModificationOut.model_validate(await modifications.deny(request_id, body.review_note))
