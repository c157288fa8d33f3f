"""Seed 000's approvals: the exceptions punches raised, for a branch head of the store (or an admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from attendance.deps import ApprovalServiceDep
from attendance.punches.models import ApprovalKind, ApprovalStatus
from attendance.punches.schemas import ApprovalOut, DecisionIn, RejectionIn
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import BranchHeadUser

router = APIRouter(prefix="/api/attendance/approvals", tags=["approvals"])
DECISION = described(
    r403="Another store's, or your own attendance",
    r404="No such approval",
    r409="Already decided, or its month is closed",
)


@router.get("", summary="Attendance exceptions of your stores (pending by default)")
async def list_approvals(
    _: BranchHeadUser,
    approvals: ApprovalServiceDep,
    session: SessionDep,
    page: PageDep,
    status: Annotated[
        ApprovalStatus | None, Query(description="pending by default")
    ] = ApprovalStatus.pending,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    person: Annotated[str | None, Query(max_length=64, description="Only this person's")] = None,
    kind: Annotated[ApprovalKind | None, Query()] = None,
) -> Page[ApprovalOut]:
    statement = approvals.listing(status=status, store=store, person=person, kind=kind)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [ApprovalOut.model_validate(row) for row in rows], page)


@router.post(
    "/{approval_id}/approve", summary="Approve an attendance exception", responses=DECISION
)
async def approve(
    approval_id: uuid.UUID,
    _: BranchHeadUser,
    approvals: ApprovalServiceDep,
    body: DecisionIn | None = None,
) -> ApprovalOut:
    return ApprovalOut.model_validate(
        await approvals.approve(approval_id, body.note if body else "")
    )


@router.post(
    "/{approval_id}/reject",
    summary="Reject an attendance exception, saying why",
    responses=DECISION,
)
async def reject(
    approval_id: uuid.UUID, body: RejectionIn, _: BranchHeadUser, approvals: ApprovalServiceDep
) -> ApprovalOut:
    return ApprovalOut.model_validate(await approvals.reject(approval_id, body.note))
