"""Seed 002 /api/inventory/categories (staff): the intake taxonomy and its spec templates."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import StaffUser
from inventory.deps import CategoryServiceDep
from inventory.intake_categories.schemas import CategoryIn, CategoryOut, CategoryUpdate

router = APIRouter(prefix="/api/inventory/categories", tags=["intake categories"])
NOT_FOUND = described(r404="No such category")


@router.get("", summary="List intake categories")
async def list_categories(
    _: StaffUser,
    categories: CategoryServiceDep,
    page: PageDep,
    parent: Annotated[uuid.UUID | None, Query(description="Parent category id")] = None,
    search: Annotated[str | None, Query(description="Name")] = None,
) -> Page[CategoryOut]:
    return page_of(
        CategoryOut, await categories.listing(parent=parent, search=search, page=page), page
    )


@router.post(
    "", status_code=201, summary="Create a category", responses=described(r409="Name taken")
)
async def create_category(
    body: CategoryIn, _: StaffUser, categories: CategoryServiceDep
) -> CategoryOut:
    return CategoryOut.model_validate(await categories.create(body))


@router.get("/{category_id}", summary="Retrieve a category", responses=NOT_FOUND)
async def get_category(
    category_id: uuid.UUID, _: StaffUser, categories: CategoryServiceDep
) -> CategoryOut:
    return CategoryOut.model_validate(await categories.get(category_id))


async def update_category(
    category_id: uuid.UUID, body: CategoryUpdate, _: StaffUser, categories: CategoryServiceDep
) -> CategoryOut:
    return CategoryOut.model_validate(await categories.update(category_id, body))


put_and_patch(
    router,
    "/{category_id}",
    update_category,
    summary="Update a category (a spec_template replaces the old one)",
    responses={**NOT_FOUND, **described(r409="Name taken")},
)


@router.delete(
    "/{category_id}",
    status_code=204,
    summary="Delete a category nothing refers to",
    responses={**NOT_FOUND, **described(r409="Child categories or products refer to it")},
)
async def delete_category(
    category_id: uuid.UUID, _: StaffUser, categories: CategoryServiceDep
) -> Response:
    await categories.delete(category_id)
    return Response(status_code=204)
