"""Seed 002 /api/consignment/accounts (Manager+, own stores): consignee accounts, addressed
by the consignee's auth user id."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep
from common.security import BranchHeadUser
from pos.consignees.schemas import ConsigneeIn, ConsigneeOut, ConsigneeUpdate
from pos.consignment.models import ConsigneeStatus
from pos.deps import ConsigneeServiceDep
from pos.pages import page_of

router = APIRouter(prefix="/api/consignment/accounts", tags=["consignment: accounts"])
UserId = Annotated[str, Path(min_length=1, max_length=64, description="auth's user id")]
NOT_FOUND = described(r404="No such consignee account", r403="Another store's consignee")


@router.get("", summary="List consignee accounts of your stores: ?search=, ?store=, ?status=")
async def list_accounts(
    _: BranchHeadUser,
    consignees: ConsigneeServiceDep,
    page: PageDep,
    search: Annotated[str | None, Query(max_length=200, description="Name, email or phone")] = None,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    status: Annotated[ConsigneeStatus | None, Query(description="active, closed")] = None,
) -> Page[ConsigneeOut]:
    found = await consignees.listing(page, search=search, store=store, status=status)
    return page_of(ConsigneeOut, found, page)


@router.post(
    "",
    status_code=201,
    summary="Open a consignee account: an existing user (user_id), or a new one created in auth",
    responses=described(
        r200="The user already has an account in that store: returned as is",
        r403="Another store",
        r409="The user is a consignee of another store",
        r422="Unknown store, or auth refused the new user",
        r503="auth is not configured or does not answer (nothing was written)",
    ),
)
async def create_account(
    body: ConsigneeIn, _: BranchHeadUser, consignees: ConsigneeServiceDep, response: Response
) -> ConsigneeOut:
    consignee, created = await consignees.create(body)
    if not created:
        response.status_code = 200
    return ConsigneeOut.model_validate(consignee)


@router.get("/{user_id}", summary="Retrieve a consignee account (by user id)", responses=NOT_FOUND)
async def get_account(
    user_id: UserId, _: BranchHeadUser, consignees: ConsigneeServiceDep
) -> ConsigneeOut:
    return ConsigneeOut.model_validate(await consignees.get(user_id))


@router.patch("/{user_id}", summary="Update a consignee's profile fields", responses=NOT_FOUND)
async def update_account(
    user_id: UserId, body: ConsigneeUpdate, _: BranchHeadUser, consignees: ConsigneeServiceDep
) -> ConsigneeOut:
    return ConsigneeOut.model_validate(await consignees.update(user_id, body))


@router.delete(
    "/{user_id}",
    summary="Close a consignee account (soft: status closed)",
    responses={**NOT_FOUND, **described(r409="An unpaid balance or items on the floor")},
)
async def close_account(
    user_id: UserId, _: BranchHeadUser, consignees: ConsigneeServiceDep
) -> ConsigneeOut:
    return ConsigneeOut.model_validate(await consignees.close(user_id))
