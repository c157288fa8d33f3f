"""Seed 002 Core ``/api/core/settings/``: app settings by key, Manager+ (branch_head and up)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from catalog.deps import SettingReaderDep, SettingServiceDep
from catalog.settings.schemas import KEY_PATTERN, SettingIn, SettingOut, SettingUpdate
from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import BranchHeadUser

router = APIRouter(prefix="/api/core/settings", tags=["core"])
NOT_FOUND = described(r404="No setting with this key")
SettingKeyPath = Annotated[
    str,
    Path(min_length=1, max_length=100, pattern=KEY_PATTERN, examples=["print_server_version"]),
]


@router.get("", summary="List app settings (Manager+), ordered by key")
async def list_settings(
    _: BranchHeadUser,
    service: SettingReaderDep,
    page: PageDep,
    search: Annotated[str | None, Query(description="Key or description")] = None,
) -> Page[SettingOut]:
    return page_of(SettingOut, await service.listing(page, search=search), page)


@router.post(
    "",
    status_code=201,
    summary="Create a setting (Manager+)",
    responses=described(r409="The key exists"),
)
async def create_setting(
    body: SettingIn, actor: BranchHeadUser, service: SettingServiceDep
) -> SettingOut:
    return SettingOut.model_validate(await service.create(body, actor))


@router.get("/{key}", summary="Retrieve a setting by key (Manager+)", responses=NOT_FOUND)
async def get_setting(
    key: SettingKeyPath, _: BranchHeadUser, service: SettingReaderDep
) -> SettingOut:
    return SettingOut.model_validate(await service.get(key))


async def update_setting(
    key: SettingKeyPath, body: SettingUpdate, actor: BranchHeadUser, service: SettingServiceDep
) -> SettingOut:
    return SettingOut.model_validate(await service.update(key, body, actor))


put_and_patch(
    router,
    "/{key}",
    update_setting,
    summary="Update a setting's value or description (Manager+; the fields sent)",
    responses=NOT_FOUND,
    response_model=SettingOut,
)


@router.delete(
    "/{key}", status_code=204, summary="Delete a setting (Manager+)", responses=NOT_FOUND
)
async def delete_setting(
    key: SettingKeyPath, actor: BranchHeadUser, service: SettingServiceDep
) -> Response:
    await service.delete(key, actor)
    return Response(status_code=204)
