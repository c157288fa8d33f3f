"""Seed 000 "Store" routes: public read, system_admin writes, soft delete."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from catalog.deps import StoreReaderDep, StoreServiceDep
from catalog.fields import QueryFlag
from catalog.stores.schemas import StoreIn, StoreOut, StoreUpdate
from common.openapi import described
from common.pagination import Page, PageDep
from common.routing import put_and_patch
from common.security import AdminUser

router = APIRouter(prefix="/api/stores", tags=["stores"])
NOT_FOUND = described(r404="No such store")


@router.get("", summary="List stores (filters for branch/HQ and active; deleted stores are hidden)")
async def list_stores(
    service: StoreReaderDep,
    page: PageDep,
    is_headquarters: Annotated[
        QueryFlag | None, Query(description="true: HQ only; false: branches only")
    ] = None,
    is_active: Annotated[QueryFlag | None, Query(description="true or false")] = None,
    search: Annotated[str | None, Query(description="Name, code or address")] = None,
    ordering: Annotated[
        str | None, Query(description="name, code, created_at; '-' for descending")
    ] = None,
) -> Page[StoreOut]:
    return await service.list(
        page,
        is_headquarters=is_headquarters,
        is_active=is_active,
        search=search,
        ordering=ordering,
    )


@router.post(
    "",
    status_code=201,
    summary="Create a store (system_admin)",
    responses=described(r409="Code taken"),
)
async def create_store(body: StoreIn, actor: AdminUser, service: StoreServiceDep) -> StoreOut:
    return StoreOut.model_validate(await service.create(body, actor))


@router.get(
    "/{store_id}",
    summary="Retrieve a store (deleted stores stay resolvable, marked deleted)",
    responses=NOT_FOUND,
)
async def get_store(store_id: uuid.UUID, service: StoreReaderDep) -> StoreOut:
    return StoreOut.model_validate(await service.get(store_id))


async def update_store(
    store_id: uuid.UUID, body: StoreUpdate, actor: AdminUser, service: StoreServiceDep
) -> StoreOut:
    return StoreOut.model_validate(await service.update(store_id, body, actor))


put_and_patch(
    router,
    "/{store_id}",
    update_store,
    summary="Update store metadata (system_admin; the fields sent)",
    responses={**NOT_FOUND, **described(r409="Code taken, or the store is deleted")},
    response_model=StoreOut,
)


@router.delete(
    "/{store_id}",
    status_code=204,
    summary="Soft-delete a store (system_admin)",
    responses=NOT_FOUND,
)
async def delete_store(store_id: uuid.UUID, actor: AdminUser, service: StoreServiceDep) -> Response:
    await service.delete(store_id, actor)
    return Response(status_code=204)
