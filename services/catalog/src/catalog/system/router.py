"""Seed 002 Core ``/api/core/system/``: versions of the running services, and the print server
releases (from the ``print_server_*`` settings); any logged-in caller."""

from __future__ import annotations

from fastapi import APIRouter

from catalog.deps import SettingReaderDep, SystemServiceDep
from catalog.settings.schemas import PrintServerRelease
from catalog.system.schemas import VersionOut
from common.openapi import described
from common.security import CurrentUser

router = APIRouter(prefix="/api/core/system", tags=["core"])


@router.get(
    "/version",
    summary="Version and build of catalog, and the version of every service of SERVICE_URLS "
    "(one that does not answer is reported unreachable)",
)
async def system_version(_: CurrentUser, service: SystemServiceDep) -> VersionOut:
    return await service.versions()


@router.get(
    "/print-server-version",
    summary="The current print server release (setting print_server_version)",
    responses=described(r404="No print server release is set"),
)
async def print_server_version(_: CurrentUser, settings: SettingReaderDep) -> PrintServerRelease:
    return await settings.print_server_release()


@router.get(
    "/print-server-releases",
    summary="Every print server release (setting print_server_releases; none set: empty)",
)
async def print_server_releases(
    _: CurrentUser, settings: SettingReaderDep
) -> list[PrintServerRelease]:
    return await settings.print_server_releases()
