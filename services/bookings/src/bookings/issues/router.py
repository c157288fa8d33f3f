"""/api/issues (repair issue presets) and /api/otherissues: read by anyone signed in,
written by system admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from bookings.deps import IssueServiceDep, OtherIssueServiceDep
from bookings.issues.schemas import (
    IssueIn,
    IssueOut,
    IssueUpdate,
    OtherIssueIn,
    OtherIssueOut,
    OtherIssueUpdate,
)
from bookings.types import PathId, QueryFlag
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.routing import put_and_patch
from common.security import AdminUser, CurrentUser

issues = APIRouter(prefix="/api/issues", tags=["issues"])
other_issues = APIRouter(prefix="/api/otherissues", tags=["other issues"])
NOT_FOUND = described(r404="No such issue")
TAKEN = described(r409="The name is taken")
Active = Annotated[
    QueryFlag | None, Query(description="Only offered (true) or withdrawn (false) ones")
]
Search = Annotated[str | None, Query(description="In name and description")]
Ordering = Annotated[str | None, Query(description="name, id, created_at; '-' descending")]


@issues.get("", summary="List repair issue presets")
async def list_issues(
    _: CurrentUser,
    service: IssueServiceDep,
    session: SessionDep,
    page: PageDep,
    active: Active = None,
    search: Search = None,
    ordering: Ordering = None,
) -> Page[IssueOut]:
    statement = service.listing(active=active, search=search, ordering=ordering)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [IssueOut.model_validate(row) for row in rows], page)


@issues.post("", status_code=201, summary="Create a repair issue preset", responses=TAKEN)
async def create_issue(body: IssueIn, admin: AdminUser, service: IssueServiceDep) -> IssueOut:
    return IssueOut.model_validate(await service.create(body, actor=admin.user_id))


@issues.get("/{issue_id}", summary="Retrieve a repair issue preset", responses=NOT_FOUND)
async def get_issue(issue_id: PathId, _: CurrentUser, service: IssueServiceDep) -> IssueOut:
    return IssueOut.model_validate(await service.get(issue_id))


async def update_issue(
    issue_id: PathId, body: IssueUpdate, admin: AdminUser, service: IssueServiceDep
) -> IssueOut:
    return IssueOut.model_validate(await service.update(issue_id, body, actor=admin.user_id))


put_and_patch(
    issues,
    "/{issue_id}",
    update_issue,
    summary="Update a repair issue preset",
    responses={**NOT_FOUND, **TAKEN},
    response_model=IssueOut,
)


@issues.delete(
    "/{issue_id}",
    status_code=204,
    summary="Remove a repair issue preset (bookings keep their copy)",
    responses=NOT_FOUND,
)
async def delete_issue(issue_id: PathId, admin: AdminUser, service: IssueServiceDep) -> Response:
    await service.delete(issue_id, actor=admin.user_id)
    return Response(status_code=204)


@other_issues.get("", summary='List "other" issues')
async def list_other_issues(
    _: CurrentUser,
    service: OtherIssueServiceDep,
    session: SessionDep,
    page: PageDep,
    active: Active = None,
    search: Search = None,
    ordering: Ordering = None,
) -> Page[OtherIssueOut]:
    statement = service.listing(active=active, search=search, ordering=ordering)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [OtherIssueOut.model_validate(row) for row in rows], page)


@other_issues.post("", status_code=201, summary='Create an "other" issue', responses=TAKEN)
async def create_other_issue(
    body: OtherIssueIn, admin: AdminUser, service: OtherIssueServiceDep
) -> OtherIssueOut:
    return OtherIssueOut.model_validate(await service.create(body, actor=admin.user_id))


@other_issues.get("/{issue_id}", summary='Retrieve an "other" issue', responses=NOT_FOUND)
async def get_other_issue(
    issue_id: PathId, _: CurrentUser, service: OtherIssueServiceDep
) -> OtherIssueOut:
    return OtherIssueOut.model_validate(await service.get(issue_id))


async def update_other_issue(
    issue_id: PathId, body: OtherIssueUpdate, admin: AdminUser, service: OtherIssueServiceDep
) -> OtherIssueOut:
    return OtherIssueOut.model_validate(await service.update(issue_id, body, actor=admin.user_id))


put_and_patch(
    other_issues,
    "/{issue_id}",
    update_other_issue,
    summary='Update an "other" issue',
    responses={**NOT_FOUND, **TAKEN},
    response_model=OtherIssueOut,
)


@other_issues.delete(
    "/{issue_id}", status_code=204, summary='Remove an "other" issue', responses=NOT_FOUND
)
async def delete_other_issue(
    issue_id: PathId, admin: AdminUser, service: OtherIssueServiceDep
) -> Response:
    await service.delete(issue_id, actor=admin.user_id)
    return Response(status_code=204)


routers = [issues, other_issues]
