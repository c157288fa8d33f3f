"""create_app for catalog: stores, taxonomy, brands, units, qualities, products, variants, spares,
and seed 002's Core (/api/core/: locations, settings, files, system)."""

from __future__ import annotations

from fastapi import FastAPI

from catalog import __version__
from catalog.config import CatalogSettings, get_settings
from catalog.db import EVENT_TABLES, REVOKED_USERS
from catalog.events.contracts import PUBLISHED
from catalog.files.router import router as files_router
from catalog.locations.router import router as locations_router
from catalog.products.router import routers as product_routers
from catalog.settings.router import router as settings_router
from catalog.spares.router import router as spares_router
from catalog.stores.router import router as stores_router
from catalog.system.router import router as system_router
from catalog.taxonomy.router import routers as taxonomy_routers
from common.app import create_app

DESCRIPTION = """Stores, the product taxonomy (department → category → subcategory → product → variant),
brands, units, qualities and spare parts. Reads are public (units and qualities need a login);
writes are for system admins. Slugs are generated from names and never change.

Core (`/api/core/`): the caller's work locations (staff), shop-wide app settings by key and
uploaded files (Manager+: branch heads and system admins), the version of every running
service and the print server releases (any logged-in caller)."""


def build_app(settings: CatalogSettings | None = None) -> FastAPI:
    return create_app(
        settings=settings or get_settings(),
        title="Shopfloor catalog",
        version=__version__,
        description=DESCRIPTION,
        routers=[
            stores_router,
            *taxonomy_routers,
            *product_routers,
            spares_router,
            locations_router,
            settings_router,
            files_router,
            system_router,
        ],
        event_tables=EVENT_TABLES,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
    )


def __getattr__(name: str) -> FastAPI:
    """``catalog.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
