"""Typed dependencies for the routes: the settings, and each domain's service built per request
on the request's session (which commits after the route returns).

The builders are ``async def`` although they await nothing: FastAPI runs a plain ``def``
dependency in a worker thread, and that hop cost more than the rest of a list request's
dependencies together (bench/README.md, catalog-list)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from catalog.config import CatalogSettings
from catalog.files.service import FileService
from catalog.locations.service import LocationService
from catalog.products.service import ProductService, VariantService
from catalog.settings.service import SettingService
from catalog.spares.service import SpareService
from catalog.stores.service import StoreService
from catalog.system.service import SystemService
from catalog.taxonomy.resources import Resource
from catalog.taxonomy.service import TaxonomyService
from common.config import settings_of
from common.db import ReadSessionDep, SessionDep
from common.security import CurrentUser
from common.uploads import DiskStorage, Storage

SettingsDep = Annotated[CatalogSettings, Depends(settings_of(CatalogSettings))]


def taxonomy_service(
    resource: Resource, *, reads_only: bool = False
) -> Callable[..., Coroutine[Any, Any, TaxonomyService]]:
    """The dependency building ``resource``'s service (one per taxonomy router); with
    ``reads_only`` on the autocommit session of routes that never write."""

    if reads_only:

        async def read(session: ReadSessionDep) -> TaxonomyService:
            return TaxonomyService(resource, session)

        read.__name__ = f"{resource.name}_reader"
        return read

    async def build(session: SessionDep, actor: CurrentUser) -> TaxonomyService:
        return TaxonomyService(resource, session, actor)

    build.__name__ = f"{resource.name}_service"
    return build


async def _stores(session: SessionDep) -> StoreService:
    return StoreService(session)


async def _store_reader(session: ReadSessionDep) -> StoreService:
    return StoreService(session)


async def _products(session: SessionDep) -> ProductService:
    return ProductService(session)


async def _product_reader(session: ReadSessionDep) -> ProductService:
    return ProductService(session)


async def _variants(session: SessionDep) -> VariantService:
    return VariantService(session)


async def _variant_reader(session: ReadSessionDep) -> VariantService:
    return VariantService(session)


async def _spares(session: SessionDep) -> SpareService:
    return SpareService(session)


async def _spare_reader(session: ReadSessionDep) -> SpareService:
    return SpareService(session)


# XServiceDep: on the request's transaction (writes). XReaderDep: on an autocommit session,
# for the routes that only read (common.db.read_session says why).
StoreServiceDep = Annotated[StoreService, Depends(_stores)]
StoreReaderDep = Annotated[StoreService, Depends(_store_reader)]
ProductServiceDep = Annotated[ProductService, Depends(_products)]
ProductReaderDep = Annotated[ProductService, Depends(_product_reader)]
VariantServiceDep = Annotated[VariantService, Depends(_variants)]
VariantReaderDep = Annotated[VariantService, Depends(_variant_reader)]
SpareServiceDep = Annotated[SpareService, Depends(_spares)]
SpareReaderDep = Annotated[SpareService, Depends(_spare_reader)]


async def _settings(session: SessionDep) -> SettingService:
    return SettingService(session)


async def _setting_reader(session: ReadSessionDep) -> SettingService:
    return SettingService(session)


def get_file_storage(request: Request, settings: SettingsDep) -> Storage:
    """The app's private file store (a test may put its own on ``app.state.file_storage``)."""
    storage: Storage | None = getattr(request.app.state, "file_storage", None)
    if storage is None:
        storage = DiskStorage(Path(settings.attachments_dir))
        request.app.state.file_storage = storage
    return storage


FileStorageDep = Annotated[Storage, Depends(get_file_storage)]


async def _files(
    session: SessionDep, storage: FileStorageDep, settings: SettingsDep
) -> FileService:
    return FileService(session, storage, settings.file_max_bytes)


async def _file_reader(
    session: ReadSessionDep, storage: FileStorageDep, settings: SettingsDep
) -> FileService:
    return FileService(session, storage, settings.file_max_bytes)


async def _locations(session: ReadSessionDep) -> LocationService:
    return LocationService(session)


async def _system(request: Request, settings: SettingsDep) -> SystemService:
    return SystemService(settings, request.app.version)


SettingServiceDep = Annotated[SettingService, Depends(_settings)]
SettingReaderDep = Annotated[SettingService, Depends(_setting_reader)]
FileServiceDep = Annotated[FileService, Depends(_files)]
FileReaderDep = Annotated[FileService, Depends(_file_reader)]
LocationReaderDep = Annotated[LocationService, Depends(_locations)]
SystemServiceDep = Annotated[SystemService, Depends(_system)]
