"""Seed 000 "Spares" routes: public read with the price hidden from non-admins, admin writes."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from catalog.models import Spare
from catalog.spares.schemas import SpareIn, SpareOut, SpareUpdate
from catalog.spares.service import SpareService
from common.db import SessionDep
from common.openapi import described
from common.pagination import PageDep, apply_ordering, make_page, paginate
from common.roles import Principal
from common.security import AdminUser, OptionalUser

router = APIRouter(prefix="/api/spares", tags=["spares"])
NOT_FOUND = described(r404="No such spare")


def spare_out(spare: Spare, viewer: Principal | None) -> dict[str, Any]:
    out = SpareOut(
        id=spare.id,
        part_number=spare.part_number,
        name=spare.name,
        description=spare.description,
        price=spare.price,
        currency=spare.currency,
        stock_hint=spare.stock_hint,
        compatible_products=sorted(product.slug for product in spare.compatible_products),
        compatible_brands=sorted(brand.id for brand in spare.compatible_brands),
        date_created=spare.created_at,
        updated_at=spare.updated_at,
    ).model_dump(mode="json")
    if viewer is None or not viewer.is_admin:
        out.pop("price")
    return out


@router.get("", summary="List spare parts (price only for system_admin)")
async def list_spares(
    viewer: OptionalUser,
    session: SessionDep,
    page: PageDep,
    search: Annotated[str | None, Query(description="Name or part number")] = None,
    product: Annotated[str | None, Query(description="Compatible with this product slug")] = None,
    brand: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Compatible with this brand id")
    ] = None,
    ordering: Annotated[str | None, Query(description="name, part_number, date_created")] = None,
) -> dict[str, Any]:
    statement = apply_ordering(
        SpareService.listing(search, product, brand),
        ordering,
        {"name": Spare.name, "part_number": Spare.part_number, "date_created": Spare.created_at},
        [Spare.name, Spare.id],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [spare_out(row, viewer) for row in rows], page).model_dump(mode="json")


@router.post("", status_code=201, summary="Create a spare part (system_admin)")
async def create_spare(body: SpareIn, actor: AdminUser, session: SessionDep) -> SpareOut:
    return SpareOut.model_validate(
        spare_out(await SpareService(session).create(body, actor), actor)
    )


@router.get(
    "/{spare_id}",
    summary="Retrieve a spare part (price only for system_admin)",
    responses=NOT_FOUND,
)
async def get_spare(
    spare_id: uuid.UUID, viewer: OptionalUser, session: SessionDep
) -> dict[str, Any]:
    return spare_out(await SpareService(session).get(spare_id), viewer)


async def update_spare(
    spare_id: uuid.UUID, body: SpareUpdate, actor: AdminUser, session: SessionDep
) -> SpareOut:
    return SpareOut.model_validate(
        spare_out(await SpareService(session).update(spare_id, body, actor), actor)
    )


router.add_api_route(
    "/{spare_id}",
    update_spare,
    methods=["PATCH"],
    summary="Update a spare part (system_admin)",
    responses=NOT_FOUND,
)
router.add_api_route(
    "/{spare_id}",
    update_spare,
    methods=["PUT"],
    summary="Update a spare part (system_admin)",
    responses=NOT_FOUND,
    operation_id="put_spare",
)


@router.delete(
    "/{spare_id}",
    status_code=204,
    summary="Remove a spare part (system_admin)",
    responses=NOT_FOUND,
)
async def delete_spare(spare_id: uuid.UUID, actor: AdminUser, session: SessionDep) -> Response:
    await SpareService(session).delete(spare_id, actor)
    return Response(status_code=204)
