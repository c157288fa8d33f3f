"""Seed 002 /api/inventory/templates (staff): vendor CSV mappings keyed by header signature."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import StaffUser
from inventory.deps import TemplateServiceDep
from inventory.templates.schemas import TemplateIn, TemplateOut, TemplateUpdate

router = APIRouter(prefix="/api/inventory/templates", tags=["intake templates"])
NOT_FOUND = described(r404="No such template")
TAKEN = described(r409="Another template has this header layout")


@router.get("", summary="List manifest templates")
async def list_templates(
    _: StaffUser,
    templates: TemplateServiceDep,
    page: PageDep,
    vendor: Annotated[uuid.UUID | None, Query(description="Vendor id")] = None,
    signature: Annotated[str | None, Query(description="Header signature")] = None,
    search: Annotated[str | None, Query(description="Name")] = None,
) -> Page[TemplateOut]:
    found = await templates.listing(vendor=vendor, signature=signature, search=search, page=page)
    return page_of(TemplateOut, found, page)


@router.post(
    "",
    status_code=201,
    summary="Create a template (its mappings must compile against its headers)",
    responses=TAKEN,
)
async def create_template(
    body: TemplateIn, _: StaffUser, templates: TemplateServiceDep
) -> TemplateOut:
    return TemplateOut.model_validate(await templates.create(body))


@router.get("/{template_id}", summary="Retrieve a template", responses=NOT_FOUND)
async def get_template(
    template_id: uuid.UUID, _: StaffUser, templates: TemplateServiceDep
) -> TemplateOut:
    return TemplateOut.model_validate(await templates.get(template_id))


async def update_template(
    template_id: uuid.UUID, body: TemplateUpdate, _: StaffUser, templates: TemplateServiceDep
) -> TemplateOut:
    return TemplateOut.model_validate(await templates.update(template_id, body))


put_and_patch(
    router,
    "/{template_id}",
    update_template,
    summary="Update a template (new headers: a new signature)",
    responses={**NOT_FOUND, **TAKEN},
)


@router.delete("/{template_id}", status_code=204, summary="Delete a template", responses=NOT_FOUND)
async def delete_template(
    template_id: uuid.UUID, _: StaffUser, templates: TemplateServiceDep
) -> Response:
    await templates.delete(template_id)
    return Response(status_code=204)
