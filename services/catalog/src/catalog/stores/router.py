"""Seed 000 "Store" routes: public read, system_admin writes, soft delete."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from catalog.models import Store
from catalog.stores.schemas import StoreIn, StoreOut, StoreUpdate
from catalog.stores.service import StoreService
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.security import AdminUser

router = APIRouter(prefix="/api/stores", tags=["stores"])
NOT_FOUND = described(r404="No such store")


@router.get("", summary="List stores (filters for branch/HQ and active; deleted stores are hidden)")
async def list_stores(
    session: SessionDep,
    page: PageDep,
    is_headquarters: Annotated[
        bool | None, Query(description="true: HQ only; false: branches only")
    ] = None,
    is_active: Annotated[bool | None, Query()] = None,
    search: Annotated[str | None, Query(description="Name, code or address")] = None,
    ordering: Annotated[
        str | None, Query(description="name, code, created_at; '-' for descending")
    ] = None,
) -> Page[StoreOut]:
    statement = StoreService.listing(
        is_headquarters=is_headquarters, is_active=is_active, search=search
    )
    statement = apply_ordering(
        statement,
        ordering,
        {"name": Store.name, "code": Store.code, "created_at": Store.created_at},
        [Store.name, Store.id],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [StoreOut.of(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Create a store (system_admin)",
    responses={409: {"description": "Code taken"}},
)
async def create_store(body: StoreIn, actor: AdminUser, session: SessionDep) -> StoreOut:
    return StoreOut.of(await StoreService(session).create(body, actor))


@router.get(
    "/{store_id}",
    summary="Retrieve a store (deleted stores stay resolvable, marked deleted)",
    responses=NOT_FOUND,
)
async def get_store(store_id: uuid.UUID, session: SessionDep) -> StoreOut:
    return StoreOut.of(await StoreService(session).get(store_id))


async def update_store(
    store_id: uuid.UUID, body: StoreUpdate, actor: AdminUser, session: SessionDep
) -> StoreOut:
    return StoreOut.of(await StoreService(session).update(store_id, body, actor))


router.add_api_route(
    "/{store_id}",
    update_store,
    methods=["PATCH"],
    summary="Update store metadata (system_admin)",
    responses=NOT_FOUND,
)
router.add_api_route(
    "/{store_id}",
    update_store,
    methods=["PUT"],
    summary="Update store metadata (system_admin)",
    responses=NOT_FOUND,
    operation_id="put_store",
)


@router.delete(
    "/{store_id}",
    status_code=204,
    summary="Soft-delete a store (system_admin)",
    responses=NOT_FOUND,
)
async def delete_store(store_id: uuid.UUID, actor: AdminUser, session: SessionDep) -> Response:
    await StoreService(session).delete(store_id, actor)
    return Response(status_code=204)
