"""Seed 000 "Spares" routes: public read with the price hidden from non-admins, admin writes."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from catalog.deps import SpareReaderDep, SpareServiceDep
from catalog.fields import PG_INTEGER_MAX
from catalog.spares.schemas import (
    PUBLIC_EXAMPLE,
    STAMPS,
    SpareIn,
    SpareOut,
    SparePublicOut,
    SpareUpdate,
)
from catalog.spares.service import SpareView
from common.openapi import described
from common.pagination import Page, PageDep
from common.routing import put_and_patch
from common.security import AdminUser, OptionalUser

router = APIRouter(prefix="/api/spares", tags=["spares"])
NOT_FOUND = described(r404="No such spare")
# Seed 000: spares are public. The optional bearer token (it shows the price to a system
# admin) is declared as optional: anonymous (``{}``) or a bearer token both work.
PUBLIC: dict[str, Any] = {"security": [{}]}
LIST_EXAMPLE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "application/json": {
                "example": {
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [{**STAMPS, **PUBLIC_EXAMPLE}],
                }
            }
        }
    }
}


@router.get(
    "",
    summary="List spare parts (the price only for system_admin)",
    response_model=Page[SpareOut | SparePublicOut],
    responses=LIST_EXAMPLE,
    openapi_extra=PUBLIC,
)
async def list_spares(
    viewer: OptionalUser,
    service: SpareReaderDep,
    page: PageDep,
    search: Annotated[str | None, Query(description="Name or part number")] = None,
    product: Annotated[str | None, Query(description="Compatible with this product slug")] = None,
    brand: Annotated[
        int | None, Query(ge=1, le=PG_INTEGER_MAX, description="Compatible with this brand id")
    ] = None,
    ordering: Annotated[str | None, Query(description="name, part_number, date_created")] = None,
) -> Page[SpareView]:
    return await service.list(
        page, viewer, search=search, product=product, brand=brand, ordering=ordering
    )


@router.post(
    "",
    status_code=201,
    summary="Create a spare part (system_admin)",
    responses=described(r409="Part number taken"),
)
async def create_spare(body: SpareIn, actor: AdminUser, service: SpareServiceDep) -> SpareOut:
    return SpareOut.model_validate(await service.create(body, actor))


@router.get(
    "/{spare_id}",
    summary="Retrieve a spare part (the price only for system_admin)",
    responses=NOT_FOUND,
    response_model=SpareOut | SparePublicOut,
    openapi_extra=PUBLIC,
)
async def get_spare(
    spare_id: uuid.UUID, viewer: OptionalUser, service: SpareReaderDep
) -> SpareView:
    return await service.view(spare_id, viewer)


async def update_spare(
    spare_id: uuid.UUID, body: SpareUpdate, actor: AdminUser, service: SpareServiceDep
) -> SpareOut:
    return SpareOut.model_validate(await service.update(spare_id, body, actor))


put_and_patch(
    router,
    "/{spare_id}",
    update_spare,
    summary="Update a spare part's fields (system_admin; those sent)",
    responses={**NOT_FOUND, **described(r409="Part number taken")},
    response_model=SpareOut,
)


@router.delete(
    "/{spare_id}",
    status_code=204,
    summary="Remove a spare part (system_admin)",
    responses=NOT_FOUND,
)
async def delete_spare(spare_id: uuid.UUID, actor: AdminUser, service: SpareServiceDep) -> Response:
    await service.delete(spare_id, actor)
    return Response(status_code=204)
