"""Typed dependencies for the routes: the settings, and each domain's service built per request
on the request's session (which commits after the route returns)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.config import CatalogSettings
from catalog.products.service import ProductService, VariantService
from catalog.spares.service import SpareService
from catalog.stores.service import StoreService
from catalog.taxonomy.resources import Resource
from catalog.taxonomy.service import TaxonomyService
from common.config import settings_of
from common.db import SessionDep

SettingsDep = Annotated[CatalogSettings, Depends(settings_of(CatalogSettings))]


def taxonomy_service(resource: Resource) -> Callable[[AsyncSession], TaxonomyService]:
    """The dependency building ``resource``'s service (one per taxonomy router)."""

    def build(session: SessionDep) -> TaxonomyService:
        return TaxonomyService(resource, session)

    build.__name__ = f"{resource.name}_service"
    return build


def _stores(session: SessionDep) -> StoreService:
    return StoreService(session)


def _products(session: SessionDep) -> ProductService:
    return ProductService(session)


def _variants(session: SessionDep) -> VariantService:
    return VariantService(session)


def _spares(session: SessionDep) -> SpareService:
    return SpareService(session)


StoreServiceDep = Annotated[StoreService, Depends(_stores)]
ProductServiceDep = Annotated[ProductService, Depends(_products)]
VariantServiceDep = Annotated[VariantService, Depends(_variants)]
SpareServiceDep = Annotated[SpareService, Depends(_spares)]
